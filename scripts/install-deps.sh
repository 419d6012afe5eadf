#!/usr/bin/env bash
# Installs the Debian 12 packages ssocli needs to build and test, when missing.
# Usage: scripts/install-deps.sh [build|test|all]   (default: all)
set -euo pipefail

build_pkgs=(
  cmake g++ make pkg-config
  libcurl4-openssl-dev   # headers only: the binaries dlopen libcurl.so.4 (see docs/performance.md)
  libssl-dev nlohmann-json3-dev libcpp-httplib-dev
  libxml2-dev libxmlsec1-dev zlib1g-dev
)
test_pkgs=(
  libgtest-dev libgmock-dev
  curl openssl ca-certificates xmlsec1 util-linux procps man-db binutils
  python3-pysaml2        # an independent SAML IdP for the interop tests (runs in /usr/bin/python3)
  clang-14 libclang-rt-14-dev   # libFuzzer targets of the SAML validator
  chromium libnss3-tools        # the end-to-end tests in headless Chromium (trusting the test CA via NSS)
)

want=("${build_pkgs[@]}")
case "${1:-all}" in
  build) ;;
  test|all) want+=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

# Node.js runs playwright-core for the browser tests. This machine kind ships node 20 and npm; Debian's
# own npm package conflicts with that install, so only install them when they are really absent.
if [ "${1:-all}" != build ]; then
  command -v node >/dev/null || want+=(nodejs)
  command -v npm >/dev/null || want+=(npm)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
