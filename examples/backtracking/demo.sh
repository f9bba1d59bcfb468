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

echo "== n-queens (examples/nqueens), akeso-cc, undo-log backend"
"$build/bin/akeso-cc" -O2 "$root/examples/nqueens/nqueens.c" -o "$work/nq"
for n in 8 10; do
  printf 'N=%-3s DFS: %s   BFS: %s   A*: %s\n' "$n" \
    "$("$work/nq" "$n" -q | grep -c solution) solutions" \
    "$("$work/nq" "$n" -q -bfs | grep -c solution) solutions" \
    "$("$work/nq" "$n" -q -astar | grep -c solution) solutions"
done
echo "first solution of N=8 (akeso_guess_stop):"
"$work/nq" 8 -1

echo
echo "== the same source built by plain gcc, page backend (AKESO_OPTIONS=guess_backend=pages)"
if command -v gcc >/dev/null; then cc=gcc; else cc=clang-19; fi
"$cc" -O2 -I"$build/include" "$root/examples/nqueens/nqueens.c" \
  "$build/lib/libakeso_rt.a" -o "$work/nq-plain"
for n in 6 8; do
  printf 'N=%-3s DFS: %s   BFS: %s\n' "$n" \
    "$(AKESO_OPTIONS=guess_backend=pages "$work/nq-plain" "$n" -q | grep -c solution) solutions" \
    "$(AKESO_OPTIONS=guess_backend=pages "$work/nq-plain" "$n" -q -bfs | grep -c solution) solutions"
done

echo
echo "== sudoku (examples/sudoku/puzzles/multi6.txt: 6 solutions), plain $cc, page backend"
"$cc" -O2 -I"$build/include" "$root/examples/sudoku/sudoku.c" \
  "$build/lib/libakeso_rt.a" -o "$work/sudoku-plain"
AKESO_OPTIONS=guess_backend=pages "$work/sudoku-plain" -1 \
  "$root/examples/sudoku/puzzles/multi6.txt"
printf 'all solutions: %s\n' \
  "$(AKESO_OPTIONS=guess_backend=pages "$work/sudoku-plain" -q "$root/examples/sudoku/puzzles/multi6.txt" | grep -c solution)"
