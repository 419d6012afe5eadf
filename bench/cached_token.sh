#!/usr/bin/env bash
# The hot path: `get_token` with a valid cached token, as scripts call it once per API call.
# Compares it with /bin/true (a process start doing nothing) using hyperfine.
# Usage: bench/cached_token.sh [BIN_DIR] [RUNS]     (BIN_DIR: where get_token is; default build/src)
# Prints a markdown table; figures go to docs/performance.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/src}
runs=${2:-2000}
command -v hyperfine >/dev/null || { echo "hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A cache written by the original get_token, token valid until 2036: no network is needed.
cp -r "$here/../tests/fixtures/compat/fresh_password/sso-cli" "$work/.sso-cli"
chmod -R u+w,go-w "$work/.sso-cli"
export HOME=$work SSO_LOGIN_URL=http://127.0.0.1:18997

"$bin/get_token" >/dev/null || { echo "get_token failed on the cached path" >&2; exit 1; }
hyperfine --shell=none --warmup 100 --runs "$runs" --export-markdown "$work/table.md" \
  --command-name '/bin/true' '/bin/true' \
  --command-name 'get_token (cached token)' "$bin/get_token" \
  --command-name 'get_token --json (cached token)' "$bin/get_token --json" >&2
cat "$work/table.md"
