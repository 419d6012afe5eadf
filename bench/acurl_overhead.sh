#!/usr/bin/env bash
# acurl's cost on top of curl: `acurl URL` vs `curl -H 'Authorization: Bearer X' URL` as whole
# processes, against the local zone server's management API over TLS (hyperfine).
# Usage: bench/acurl_overhead.sh [BIN_DIR] [RUNS]   (BIN_DIR: get_token, acurl, ssocli; default build/src)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/src}
runs=${2:-300}
command -v hyperfine >/dev/null || { echo "hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
bash "$here/../tests/pki/make-test-pki.sh" "$work/pki"
"$bin/ssocli" zone serve --port 0 --quiet --tls-cert "$work/pki/server.pem" --tls-key "$work/pki/server.key" \
  >"$work/url" &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
export HOME=$work SSO_LOGIN_URL=$(head -n1 "$work/url") CURL_CA_BUNDLE=$work/pki/ca.pem
printf 'demo-password\n' | "$bin/get_token" -u demo@example.com -m '' >/dev/null
token=$("$bin/get_token")
url="$SSO_LOGIN_URL/v1/o/bench"
"$bin/acurl" -sf "$url" >/dev/null || { echo "acurl failed" >&2; exit 1; }

hyperfine --shell=none --warmup 20 --runs "$runs" --export-markdown "$work/table.md" \
  --command-name 'curl -H "Authorization: Bearer X" URL' "curl -s -o /dev/null -H 'Authorization: Bearer $token' $url" \
  --command-name 'acurl URL' "$bin/acurl -s -o /dev/null $url" >&2
sed "s/$token/X/g" "$work/table.md"
