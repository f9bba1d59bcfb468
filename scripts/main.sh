#!/usr/bin/env bash
# The main job: build everything, run the bundled example (kvd, a
# multi-threaded key-value daemon whose requests are recovery domains) and
# show a poisoned request rolled back, then show system-level backtracking
# (examples/backtracking/demo.sh: n-queens and sudoku on the undo-log and
# page backends), then run a short fault-injection campaign against kvd
# and print the report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${AKESO_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" "$build"
bash "$root/examples/kvd/demo.sh" "$build"
echo
bash "$root/examples/backtracking/demo.sh" "$build"
echo
exec bash "$root/examples/kvd/campaign.sh" "$build" "${AKESO_CAMPAIGN_TRIALS:-20}"
