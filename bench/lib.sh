# bench/lib.sh - what the benchmark scripts share for their report headers;
# sourced by run.sh, run-shared.sh, run-rollback.sh and run-guess.sh.

# describe DIR [PATHSPEC] -> "commit abc1234", "... with uncommitted
# changes" (only changes under PATHSPEC count), or "not a git checkout".
describe() {
  local r
  r=$(git -C "$1" rev-parse --short HEAD 2>/dev/null) || { echo "not a git checkout"; return; }
  if [ -n "$(git -C "$1" status --porcelain --untracked-files=no -- ${2:-.} 2>/dev/null)" ]; then
    echo "commit $r with uncommitted changes"
  else
    echo "commit $r"
  fi
}

# akeso_source BUILD_DIR -> the source tree BUILD_DIR was configured from
# (its CMake cache names it), or nothing.
akeso_source() {
  sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$1/CMakeCache.txt" 2>/dev/null
}
