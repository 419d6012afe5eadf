#!/usr/bin/env bash
# Sets up a Debian 12 machine (missing packages via apt-get), builds everything with warnings as
# errors, and runs every test:
#   1. the whole suite (unit, zone server, integration of the installed programs, SAML, interop,
#      the browser sign-in end to end in headless Chromium);
#   2. again under AddressSanitizer + UndefinedBehaviorSanitizer: the unit tests, the SAML suite and
#      the browser sign-in plugin (the code that handles untrusted input);
#   3. the libFuzzer targets of the SAML validator and metadata parser, 60 s each (clang).
# Usage: scripts/test.sh [main|asan|fuzz ...]   (default: all three; BUILD_DIR=... for stage 1's dir)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(main asan fuzz)
jobs=$(nproc)
build=${BUILD_DIR:-build}
started=$SECONDS
say() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)) >&2; }

for stage in "${stages[@]}"; do
  case $stage in
    main)
      say "main build and the whole suite ($build)"
      cmake -S . -B "$build" -DSSOCLI_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
      cmake --build "$build" -j"$jobs"
      # Each test runs in its own process with its own zone server and HOME: they run in parallel.
      ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 300
      ;;
    asan)
      say "AddressSanitizer + UBSan build (build-asan)"
      cmake -S . -B build-asan -DSSOCLI_SANITIZE=ON -DSSOCLI_WERROR=ON -DSSOCLI_BUILD_BENCH=OFF \
        -DCMAKE_BUILD_TYPE=Debug >/dev/null
      cmake --build build-asan -j"$jobs" --target get_token acurl ssocli \
        ssocli_sso unit_core_test unit_token_test unit_cli_test saml_unit_test saml_interop_test saml_cli_test \
        sso_unit_test sso_flow_test sso_plugin_test sso_saml_flow_test
      ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 600 -L unit
      ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 600 -R '^Saml'
      ;;
    fuzz)
      say "libFuzzer targets (build-fuzz, clang)"
      CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DSSOCLI_FUZZ=ON -DSSOCLI_SANITIZE=ON \
        -DSSOCLI_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
      cmake --build build-fuzz -j"$jobs" --target saml_response_fuzzer saml_metadata_fuzzer
      ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -L fuzz
      ;;
    *) echo "unknown stage '$stage' (main, asan, fuzz)" >&2; exit 2 ;;
  esac
done
say "all tests passed"
