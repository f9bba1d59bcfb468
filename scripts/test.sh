#!/usr/bin/env bash
# Every test: builds, then runs ctest (lit pass and end-to-end suites, the
# runtime's unit tests plain and under ThreadSanitizer, the annotation
# parser's unit tests) and the bundled example.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AKESO_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" "$build"
cd "$build"
ctest --output-on-failure "$@"
