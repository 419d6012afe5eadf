#!/usr/bin/env bash
# Sets up a Debian 12 machine (missing packages via apt-get), builds everything with warnings as
# errors, and runs every test. Usage: scripts/test.sh   (BUILD_DIR=... to build elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all

build=${BUILD_DIR:-build}
jobs=$(nproc)
cmake -S . -B "$build" -DSSOCLI_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs"
# Each test runs in its own process with its own zone server and HOME, so they can run in parallel.
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 300
