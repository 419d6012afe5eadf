#!/usr/bin/env bash
# The hot path: `get_token` with a valid cached token, as scripts call it once per API call,
# against /bin/true (a process start doing nothing). Whole processes, interleaved run by run.
# Usage: bench/cached_token.sh [BUILD_DIR] [RUNS]    (default: build 2000). Prints a markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
runs=${2:-2000}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A cache written by the original get_token, token valid until 2036: no network is needed.
cp -r "$here/../tests/fixtures/compat/fresh_password/sso-cli" "$work/.sso-cli"
chmod -R u+w,go-w "$work/.sso-cli"
export HOME=$work SSO_LOGIN_URL=http://127.0.0.1:18997

"$build/src/get_token" >/dev/null || { echo "get_token failed on the cached path" >&2; exit 1; }
"$build/bench/interleaved_timer" "$runs" -- /bin/true -- "$build/src/get_token" -- "$build/src/get_token" --json
