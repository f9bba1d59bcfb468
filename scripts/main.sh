#!/usr/bin/env bash
# The main job: build everything, then run the bundled example (kvd, a
# multi-threaded key-value daemon whose requests are recovery domains) and
# print what happened.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AKESO_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" "$build"
exec bash "$root/examples/kvd/demo.sh" "$build"
