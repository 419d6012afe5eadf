#!/usr/bin/env bash
# acurl's cost on top of curl: `acurl URL` vs `curl -H 'Authorization: Bearer X' URL` as whole
# processes, against the local zone server's management API over TLS, interleaved run by run.
# Usage: bench/acurl_overhead.sh [BUILD_DIR] [RUNS]   (default: build 500). Prints a markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
runs=${2:-500}

work=$(mktemp -d)
bash "$here/../tests/pki/make-test-pki.sh" "$work/pki"
"$build/src/ssocli" zone serve --port 0 --quiet --tls-cert "$work/pki/server.pem" \
  --tls-key "$work/pki/server.key" >"$work/url" &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
export HOME=$work SSO_LOGIN_URL=$(head -n1 "$work/url") CURL_CA_BUNDLE=$work/pki/ca.pem
printf 'demo-password\n' | "$build/src/get_token" -u demo@example.com -m '' >/dev/null 2>&1
token=$("$build/src/get_token")
url="$SSO_LOGIN_URL/v1/o/bench"
"$build/src/acurl" -sf "$url" >/dev/null || { echo "acurl failed" >&2; exit 1; }

"$build/bench/interleaved_timer" "$runs" \
  -- curl -s -o /dev/null -H "Authorization: Bearer $token" "$url" \
  -- "$build/src/acurl" -s -o /dev/null "$url" | sed "s/$token/X/g"
