#!/usr/bin/env bash
# examples/backtracking/demo.sh BUILD_DIR - system-level backtracking in
# action (docs/backtracking.md, docs/host.md): the paper's Figure 1
# (n-queens, single-path style) and a sudoku solved by the runtime
# exploring the search space, first compiled with akeso-cc (undo-log
# backend), then compiled by plain gcc with no akeso pass at all and run on
# the page backend (page snapshots and interposed system calls).
set -euo pipefail
build=$(cd "${1:?usage: demo.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/akeso-backtracking.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Every count shown is checked against the known answer; a wrong one makes
# the exit status non-zero (the demo also runs as a test, ctest
# backtracking_demo).
count() { # expected, command...: prints "N solutions", checks N
  local expected=$1; shift
  local got
  got=$("$@" | grep -c '^solution' || true)
  if [ "$got" != "$expected" ]; then
    echo "demo.sh: '$*' found $got solutions, expected $expected" >&2
    : > "$work/wrong" # count runs in a command substitution's subshell
  fi
  printf '%s solutions' "$got"
}
declare -A queens=([6]=4 [8]=92 [10]=724)

echo "== n-queens (examples/nqueens), akeso-cc, undo-log backend"
"$build/bin/akeso-cc" -O2 "$root/examples/nqueens/nqueens.c" -o "$work/nq"
for n in 8 10; do
  printf 'N=%-3s DFS: %s   BFS: %s   A*: %s\n' "$n" \
    "$(count "${queens[$n]}" "$work/nq" "$n" -q)" \
    "$(count "${queens[$n]}" "$work/nq" "$n" -q -bfs)" \
    "$(count "${queens[$n]}" "$work/nq" "$n" -q -astar)"
done
echo "first solution of N=8 (akeso_guess_stop):"
"$work/nq" 8 -1

echo
echo "== the same source built by plain gcc, page backend (AKESO_OPTIONS=guess_backend=pages)"
if command -v gcc >/dev/null; then cc=gcc; else cc=clang-19; fi
"$cc" -O2 -I"$build/include" "$root/examples/nqueens/nqueens.c" \
  "$build/lib/libakeso_rt.a" -o "$work/nq-plain"
export AKESO_OPTIONS=guess_backend=pages
for n in 6 8; do
  printf 'N=%-3s DFS: %s   BFS: %s\n' "$n" \
    "$(count "${queens[$n]}" "$work/nq-plain" "$n" -q)" \
    "$(count "${queens[$n]}" "$work/nq-plain" "$n" -q -bfs)"
done

echo
echo "== sudoku (examples/sudoku/puzzles/multi6.txt: 6 solutions), plain $cc, page backend"
"$cc" -O2 -I"$build/include" "$root/examples/sudoku/sudoku.c" \
  "$build/lib/libakeso_rt.a" -o "$work/sudoku-plain"
echo "first solution (akeso_guess_stop):"
"$work/sudoku-plain" -1 "$root/examples/sudoku/puzzles/multi6.txt"
printf 'all: %s\n' \
  "$(count 6 "$work/sudoku-plain" -q "$root/examples/sudoku/puzzles/multi6.txt")"
if [ -e "$work/wrong" ]; then exit 1; fi
