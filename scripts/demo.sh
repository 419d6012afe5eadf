#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian 12 machine: build and install ssocli, start the bundled
# zone server over TLS, sign in with get_token (a demo user, no prompts), and call the zone's sample
# management API through acurl. Nothing outside ./build is touched (HOME is a demo dir there).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all >&2

build=${BUILD_DIR:-build}
prefix="$PWD/$build/demo/prefix"
pki="$PWD/$build/demo/pki"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target get_token acurl ssocli >/dev/null
cmake --install "$build" --prefix "$prefix" >/dev/null
bash tests/pki/make-test-pki.sh "$pki"
export PATH="$prefix/bin:$PATH"

# A private HOME, so the demo never touches your own ~/.sso-cli.
export HOME="$PWD/$build/demo/home"
rm -rf "$HOME" && mkdir -p "$HOME"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "Starting the local zone server (ssocli zone serve) over TLS"
server_out=$(mktemp)
ssocli zone serve --port 0 --tls-cert "$pki/server.pem" --tls-key "$pki/server.key" >"$server_out" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; rm -f "$server_out"' EXIT
for _ in $(seq 1 100); do [ -s "$server_out" ] && break; sleep 0.1; done
export SSO_LOGIN_URL=$(head -n1 "$server_out")
export CURL_CA_BUNDLE="$pki/ca.pem"   # trust the demo CA (get_token and curl alike)
echo "SSO_LOGIN_URL=$SSO_LOGIN_URL" >&2

step "Signing in: get_token -u demo@example.com -m ''   (password on stdin, as a script would)"
printf 'demo-password\n' | get_token -u demo@example.com -m '' >/dev/null
echo "signed in; token cached in $(get_token --print-sso-cache || true)" >&2

step "What is cached: ssocli token show"
ssocli token show >&2

step "The management API call through acurl: acurl -sS -f \$SSO_LOGIN_URL/v1/o/demo-org"
# acurl runs the real curl with the cached token; the token never appears in a process list.
acurl -sS -f "$SSO_LOGIN_URL/v1/o/demo-org"
echo
