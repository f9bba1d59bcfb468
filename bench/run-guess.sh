#!/usr/bin/env bash
# bench/run-guess.sh - system-level backtracking (guess / fail, issue #5)
# against hand-coded backtracking, SWI-Prolog, GNU Prolog and MiniSat.
#
#   bash bench/run-guess.sh BUILD_DIR
#
# Builds into a temporary directory:
#   hand-coded C   bench/guess/{nqueens,sudoku,dpll}_hand.c, clang-19 -O2:
#                  the same searches as the examples with the undo written
#                  by hand (the limit); they count the extension steps
#   akeso          examples/{nqueens/nqueens,sudoku/sudoku,sat/dpll}.c,
#                  akeso-cc -O2, run under DFS, BFS and A* (undo-log backend)
#                  and under the fork backend (AKESO_OPTIONS=guess_backend=fork)
#   plain C        the same example sources built by plain gcc -O2 (clang-19
#                  without the plugin when gcc is missing), no akeso pass,
#                  linked with BUILD_DIR/lib/libakeso_rt.a, run under DFS on
#                  the page backend (AKESO_OPTIONS=guess_backend=pages): the
#                  backend for uninstrumented code (docs/host.md)
#                  A backend the runtime rejects ("guess_backend=NAME is not
#                  available on this machine") is reported as
#                  "n/a (not available on this machine)".
#   SWI-Prolog     bench/guess/{queens,sudoku,dpll}.pl, swipl -O
#   GNU Prolog     the same files compiled to native code by gplc
#   MiniSat        minisat, the reference for SAT (a CDCL solver: its
#                  search is not DPLL's, so it has no extension count)
# and runs three workloads:
#   n-queens       all solutions, N = 12 (10,103,868 extension steps)
#   sudoku         all solutions of examples/sudoku/puzzles/hard.txt
#   SAT            examples/sat/cnf/{php-8-7,rand3-100-5,rand3-100-6}.cnf
#
# Prints a Markdown report on stdout: per workload and variant the CPU time
# (user + system of the whole process, median of the runs), the wall time,
# the extension steps, the CPU nanoseconds per extension step and the ratio
# to hand-coded C on the same instance.  Every variant's answer is checked
# (solution counts against hand-coded C, SAT verdicts against hand-coded C
# and MiniSat, models with examples/sat/check_model.py); a wrong answer is reported and
# makes the exit status non-zero.  A run that exceeds the time limit is
# reported as "timeout", never as a number.  Progress goes to stderr.
#
# An extension step is one extension of one guess point run from its
# parent partial candidate: a guess point with n extensions (akeso_guess(n),
# a Prolog between/3 with n values, a loop over n values in C) contributes
# n steps when all its extensions are explored, whether they fail at once or
# go on.  The hand-coded programs count them; the akeso and Prolog programs
# make the same search, so the same count applies to them wherever they
# explore the whole tree (all solutions; SAT: unsatisfiable instances or
# DFS).  Where the tree differs (BFS and A* stopping at a first model,
# sudoku's A* with its most-constrained-cell order) only the time is given.
#
# Environment:
#   AKESO_BENCH_RUNS=3         runs of the fast variants (hand-coded C,
#                              Prologs, MiniSat); median reported
#   AKESO_BENCH_AKESO_RUNS=1   runs of each akeso variant
#   AKESO_BENCH_TIMEOUT=300    seconds a single run may take
#   AKESO_BENCH_QUEENS_N=12    n-queens size for hand-coded, DFS, BFS, A*,
#                              the Prologs and the page backend (about 70 s
#                              on the page backend)
#   AKESO_BENCH_QUEENS_SMALL_N=$AKESO_BENCH_QUEENS_N  a second size for BFS
#                              and A* (they switch between partial candidates
#                              by deltas: a few seconds at N = 12); when it
#                              differs from N, DFS and hand-coded C run at it
#                              too
#   AKESO_BENCH_BACKENDS="fork pages"   other backends to try
#   AKESO_BENCH_BACKEND_N=7    n-queens size for the fork backend (about a
#                              millisecond per step)
#   AKESO_BENCH_PAGES_SUDOKU=FILE  sudoku puzzle for the page backend
#                              (default: the BFS puzzle; hard.txt takes
#                              about 3 minutes there)
#   AKESO_BENCH_SUDOKU=FILE    sudoku puzzle (default .../puzzles/hard.txt)
#   AKESO_BENCH_SUDOKU_SMALL=FILE  puzzle for sudoku BFS (default multi6.txt)
#   AKESO_BENCH_CNF="FILE..."  SAT instances (default: the three above)
#   AKESO_BENCH_QUICK=1        small sizes everywhere, for trying the script
#   AKESO_BENCH_KEEP=1         keep the temporary directory
#   CLANG=clang-19
set -euo pipefail

usage() {
  echo "usage: bash bench/run-guess.sh BUILD_DIR   (an akeso build tree)" >&2
  exit 2
}
[ $# -eq 1 ] || usage
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run-guess.sh: no directory '$1'" >&2; exit 2; }
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$bench_dir/lib.sh"
src=$(dirname "$bench_dir")
akeso_cc=$build/bin/akeso-cc
[ -x "$akeso_cc" ] || { echo "run-guess.sh: '$akeso_cc' not found; build akeso first (cmake --build $1)" >&2; exit 2; }

clang=${CLANG:-clang-19}
runs=${AKESO_BENCH_RUNS:-3}
akeso_runs=${AKESO_BENCH_AKESO_RUNS:-1}
limit=${AKESO_BENCH_TIMEOUT:-300}
if [ "${AKESO_BENCH_QUICK:-0}" = 1 ]; then
  qn=${AKESO_BENCH_QUEENS_N:-9} qsmall=${AKESO_BENCH_QUEENS_SMALL_N:-8}
  bn=${AKESO_BENCH_BACKEND_N:-5}
  puzzle=${AKESO_BENCH_SUDOKU:-$src/examples/sudoku/puzzles/multi6.txt}
  puzzle_small=${AKESO_BENCH_SUDOKU_SMALL:-$src/examples/sudoku/puzzles/easy.txt}
  cnfs=${AKESO_BENCH_CNF:-"$src/examples/sat/cnf/php-6-5.cnf $src/examples/sat/cnf/rand3-50-1.cnf $src/examples/sat/cnf/rand3-50-3.cnf"}
else
  qn=${AKESO_BENCH_QUEENS_N:-12} qsmall=${AKESO_BENCH_QUEENS_SMALL_N:-$qn}
  bn=${AKESO_BENCH_BACKEND_N:-7}
  puzzle=${AKESO_BENCH_SUDOKU:-$src/examples/sudoku/puzzles/hard.txt}
  puzzle_small=${AKESO_BENCH_SUDOKU_SMALL:-$src/examples/sudoku/puzzles/multi6.txt}
  cnfs=${AKESO_BENCH_CNF:-"$src/examples/sat/cnf/php-8-7.cnf $src/examples/sat/cnf/rand3-100-5.cnf $src/examples/sat/cnf/rand3-100-6.cnf"}
fi
backends=${AKESO_BENCH_BACKENDS-fork pages}
pages_puzzle=${AKESO_BENCH_PAGES_SUDOKU:-$puzzle_small}

work=$(mktemp -d "${TMPDIR:-/tmp}/akeso-guess.XXXXXX")
if [ "${AKESO_BENCH_KEEP:-0}" = 1 ]; then
  echo "run-guess.sh: keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
note() { echo "run-guess.sh: $*" >&2; }
notes=()
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- build
note "building in $work"
cflags=(-std=c11 -O2)
build_or_die() { # NAME COMMAND...
  local name=$1
  shift
  "$@" >"$work/$name.build.log" 2>&1 ||
    { echo "run-guess.sh: building $name failed:" >&2; cat "$work/$name.build.log" >&2; exit 1; }
}
build_or_die nqueens_hand "$clang" "${cflags[@]}" "$bench_dir/guess/nqueens_hand.c" -o "$work/nqueens_hand"
build_or_die sudoku_hand "$clang" "${cflags[@]}" "$bench_dir/guess/sudoku_hand.c" -o "$work/sudoku_hand"
build_or_die dpll_hand "$clang" "${cflags[@]}" -I"$src/examples/sat" "$bench_dir/guess/dpll_hand.c" -o "$work/dpll_hand"
build_or_die nqueens "$akeso_cc" -Wno-backend-plugin "${cflags[@]}" "$src/examples/nqueens/nqueens.c" -o "$work/nqueens"
build_or_die sudoku "$akeso_cc" -Wno-backend-plugin "${cflags[@]}" "$src/examples/sudoku/sudoku.c" -o "$work/sudoku"
build_or_die dpll "$akeso_cc" -Wno-backend-plugin "${cflags[@]}" "$src/examples/sat/dpll.c" -o "$work/dpll"
# The same sources, uninstrumented, for the page backend.
if command -v gcc >/dev/null; then plain_cc=gcc; else plain_cc=$clang; fi
rt=$build/lib/libakeso_rt.a
[ -f "$rt" ] || { echo "run-guess.sh: '$rt' not found" >&2; exit 2; }
build_or_die nqueens_plain "$plain_cc" "${cflags[@]}" -I"$src/include" "$src/examples/nqueens/nqueens.c" "$rt" -o "$work/nqueens_plain"
build_or_die sudoku_plain "$plain_cc" "${cflags[@]}" -I"$src/include" "$src/examples/sudoku/sudoku.c" "$rt" -o "$work/sudoku_plain"
build_or_die dpll_plain "$plain_cc" "${cflags[@]}" -I"$src/include" "$src/examples/sat/dpll.c" "$rt" -o "$work/dpll_plain"
plain_label="plain $plain_cc -O2, no akeso pass"

have_swipl=0 have_gprolog=0 have_minisat=0
cp "$bench_dir/guess/main.pl" "$bench_dir/guess/queens.pl" "$bench_dir/guess/sudoku.pl" "$bench_dir/guess/dpll.pl" "$work/"
if command -v swipl >/dev/null; then have_swipl=1; else notes+=("SWI-Prolog rows skipped: swipl not found"); fi
if command -v gplc >/dev/null; then
  if (cd "$work" && gplc queens.pl -o queens_gp && gplc sudoku.pl -o sudoku_gp && gplc dpll.pl -o dpll_gp) >"$work/gplc.log" 2>&1; then
    have_gprolog=1
  else
    notes+=("GNU Prolog rows skipped: gplc failed ($(head -c 200 "$work/gplc.log" | tr '\n' ' '))")
  fi
else
  notes+=("GNU Prolog rows skipped: gplc not found")
fi
if command -v minisat >/dev/null; then have_minisat=1; else notes+=("MiniSat rows skipped: minisat not found"); fi

# Which other guess backends does this runtime accept on this machine?  A
# 4-queens run must print its 2 solutions (the page backend on the plain
# build, the others on the akeso-cc build).  An older runtime's "unknown
# option" means the backend is not there; any other failure (the page
# backend on a kernel without userfaultfd, say) is reported with its
# message.
declare -A backend_state # name -> ok | n/a (...)
for b in $backends; do
  rc=0
  probe_bin=$work/nqueens
  [ "$b" = pages ] && probe_bin=$work/nqueens_plain
  # (in a subshell: a runtime that aborts on the option would make bash
  # print "Aborted" among the progress lines)
  (AKESO_OPTIONS=guess_backend=$b timeout 60 "$probe_bin" 4 -q >"$work/probe.$b.out" 2>"$work/probe.$b.err") 2>/dev/null || rc=$?
  if [ "$rc" = 0 ] && [ "$(grep -c '^solution$' "$work/probe.$b.out")" = 2 ]; then
    backend_state[$b]=ok
  elif grep -q -e "unknown option 'guess_backend'" "$work/probe.$b.err"; then
    backend_state[$b]="n/a (not in this runtime)"
  else
    backend_state[$b]="n/a (4-queens probe failed, status $rc: $(head -c 160 "$work/probe.$b.err" | tr '\n' ' '))"
  fi
  note "backend $b: ${backend_state[$b]}"
done

# ---------------------------------------------------------------- measure
# measure RUNS STDIN CMD... : runs CMD (with a time limit) RUNS times.
# Sets M_STATUS (ok | timeout | "failed (status N)"), M_CPU and M_WALL
# (medians, seconds), M_OUT and M_ERR (files of the last run), M_RC.
TIMEFORMAT='%R %U %S'
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
seq_no=0
measure() {
  local n=$1 in=$2 i rc
  shift 2
  : >"$work/cpu" && : >"$work/wall"
  M_STATUS=ok M_OUTS=()
  for ((i = 1; i <= n; i++)); do
    seq_no=$((seq_no + 1))
    M_OUT=$work/run$seq_no.out M_ERR=$work/run$seq_no.err
    M_OUTS+=("$M_OUT")
    rc=0
    { time timeout -k 5 "$limit" "$@" <"$in" >"$M_OUT" 2>"$M_ERR" || rc=$?; } 2>"$work/time"
    M_RC=$rc
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
      M_STATUS=timeout
      return
    fi
    # dpll and minisat exit with 10 (satisfiable) or 20 (unsatisfiable)
    if [ "$rc" != 0 ] && [ "$rc" != 10 ] && [ "$rc" != 20 ]; then
      M_STATUS="failed (status $rc)"
      note "$* failed with status $rc: $(tail -c 300 "$M_ERR" | tr '\n' ' ')"
      return
    fi
    read -r real user sys <"$work/time"
    echo "$real" >>"$work/wall"
    awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }' >>"$work/cpu"
  done
  M_CPU=$(median <"$work/cpu")
  M_WALL=$(median <"$work/wall")
}

# Start-up: every time in the report is net of the same program's median
# CPU and wall time on a trivial instance (N = 1, a solved grid, a formula
# of one unit clause): process creation, dynamic linking, the akeso
# runtime's and the Prolog systems' initialisation.  It is measured with
# the same number of runs as the program.
declare -A base_cpu base_wall
startup() { # KEY RUNS STDIN CMD...
  local key=$1
  shift
  measure "$@"
  [ "$M_STATUS" = ok ] || { echo "run-guess.sh: start-up run of $key: $M_STATUS" >&2; exit 1; }
  base_cpu[$key]=$M_CPU base_wall[$key]=$M_WALL
}
net() { # KEY: M_CPU and M_WALL minus KEY's start-up
  [ "$M_STATUS" = ok ] || return 0
  M_CPU=$(awk -v a="$M_CPU" -v b="${base_cpu[$1]}" 'BEGIN { printf "%.6f", a - b }')
  M_WALL=$(awk -v a="$M_WALL" -v b="${base_wall[$1]}" 'BEGIN { printf "%.6f", a - b }')
}

# Report rows, per workload.
rows=()
# row VARIANT SIZE EXTENSIONS RUNS CHECK [HAND_CPU]: from the last measure.
# EXTENSIONS "" = not comparable (another tree); HAND_CPU: hand-coded C's
# CPU time on the same instance, for the ratio.
row() {
  local variant=$1 size=$2 ext=$3 n=$4 check=$5 hand=${6:-}
  if [ "$M_STATUS" = timeout ]; then
    rows+=("| $variant | $size | ${ext:-—} | $n | timeout (> $limit s) | | | | $check |")
    return
  fi
  if [ "$M_STATUS" != ok ]; then
    rows+=("| $variant | $size | ${ext:-—} | $n | $M_STATUS | | | | $check |")
    return
  fi
  rows+=("$(awk -v v="$variant" -v sz="$size" -v e="$ext" -v n="$n" -v c="$M_CPU" -v w="$M_WALL" \
    -v h="$hand" -v k="$check" 'BEGIN {
      if (c <= 0) { printf "| %s | %s | | %s | below start-up noise | | | | %s |", v, sz, n, k; exit }
      ext = e == "" ? "—" : sprintf("%\047d", e)
      ns = e == "" ? "—" : sprintf("%.1f", c * 1e9 / e)
      fmt = (h > 0 && c / h < 0.1) ? "%.3f×" : "%.1f×"
      ratio = (h == "" || h <= 0) ? "—" : sprintf(fmt, c / h)
      if (e == "" && h != "" && h > 0) ratio = "(time " sprintf(fmt, c / h) ")"
      printf "| %s | %s | %s | %s | %.4f | %.3f | %s | %s | %s |", v, sz, ext, n, c, w, ns, ratio, k
    }')")
}
flush_table() { # TITLE
  echo
  echo "### $1"
  echo
  echo "| variant | size | extension steps | runs | CPU s | wall s | CPU ns / extension | × hand-coded | answer |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  rows=()
}
# The hand-coded programs time their search alone (CPU clock of the
# process, "seconds T"): their rows use the median of that, which is exact
# where the start-up subtraction is noise (tens of milliseconds of start-up
# against a millisecond of search); the subtracted figure is shown next to
# it as a check.  own_clock: M_CPU := that median, M_NET := the old M_CPU.
own_clock() {
  [ "$M_STATUS" = ok ] || return 0
  M_NET=$M_CPU
  M_CPU=$(for f in "${M_OUTS[@]}"; do field seconds "$f"; done | median)
}
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$2" | tail -1; }
# check GOT WANT -> "WANT ✓" or a loud mismatch (and a non-zero exit;
# called in $(...), so the count goes through a file)
check() {
  if [ "$1" = "$2" ]; then
    echo "$2 ✓"
  else
    echo "$1" >>"$work/wrong"
    note "WRONG ANSWER: got '$1', expected '$2'"
    echo "**WRONG: $1, expected $2**"
  fi
}
empty=$work/empty.in
: >"$empty"
report=$work/report.md
: >"$report"

# ---------------------------------------------------------------- n-queens
queens() { # N -> sets Q_SOL Q_EXT Q_CPU: hand-coded C at size N
  measure "$runs" "$empty" "$work/nqueens_hand" "$1"
  net hand_queens
  own_clock
  [ "$M_STATUS" = ok ] || { echo "run-guess.sh: nqueens_hand $1: $M_STATUS" >&2; exit 1; }
  Q_SOL=$(field solutions "$M_OUT") Q_EXT=$(field extensions "$M_OUT") Q_CPU=$M_CPU
}
akeso_queens() { # LABEL N HAND_SOL HAND_EXT HAND_CPU [ENV] ARGS...
  # (Q_BIN, Q_BASE: binary and start-up key; default the akeso-cc build)
  local label=$1 n=$2 sol=$3 ext=$4 hand=$5 envs=$6
  shift 6
  note "n-queens: $label, N = $n"
  # shellcheck disable=SC2086
  measure "$akeso_runs" "$empty" env $envs "${Q_BIN:-$work/nqueens}" "$n" -q "$@"
  net "${Q_BASE:-akeso_queens}"
  local got=""
  [ "$M_STATUS" = ok ] && got=$(grep -c '^solution$' "$M_OUT" || true)
  row "$label" "N = $n" "$ext" "$akeso_runs" "$([ "$M_STATUS" = ok ] && check "$got solutions" "$sol solutions")" "$hand"
}

note "n-queens: start-up runs"
startup hand_queens "$runs" "$empty" "$work/nqueens_hand" 1
startup akeso_queens "$akeso_runs" "$empty" "$work/nqueens" 1 -q
[ "${backend_state[pages]:-}" = ok ] &&
  startup pages_queens "$akeso_runs" "$empty" env AKESO_OPTIONS=guess_backend=pages "$work/nqueens_plain" 1 -q
echo "1." >"$work/queens1.in"
[ "$have_swipl" = 1 ] && startup swipl_queens "$runs" "$work/queens1.in" swipl -O "$work/queens.pl"
[ "$have_gprolog" = 1 ] && startup gprolog_queens "$runs" "$work/queens1.in" "$work/queens_gp"
note "n-queens: hand-coded C, N = $qn"
queens "$qn"
sol=$Q_SOL ext=$Q_EXT hand=$Q_CPU
if [ "$qn" = 12 ] && [ "$ext" != 10103868 ]; then
  echo "run-guess.sh: nqueens_hand 12 counted $ext extension steps, not 10,103,868" >&2
  exit 1
fi
row "hand-coded C (clang -O2)" "N = $qn" "$ext" "$runs" "$sol solutions; process minus start-up $M_NET s" "$hand"
akeso_queens "akeso DFS (undo log)" "$qn" "$sol" "$ext" "$hand" ""
for b in $backends; do
  if [ "${backend_state[$b]}" = ok ] && [ "$b" = pages ]; then
    # the backend for uninstrumented code: the plain build, full size
    Q_BIN=$work/nqueens_plain Q_BASE=pages_queens \
      akeso_queens "akeso DFS, pages backend ($plain_label)" "$qn" "$sol" "$ext" "$hand" "AKESO_OPTIONS=guess_backend=pages"
  elif [ "${backend_state[$b]}" = ok ]; then
    queens "$bn"
    akeso_queens "akeso DFS, $b backend (akeso-cc)" "$bn" "$Q_SOL" "$Q_EXT" "$Q_CPU" "AKESO_OPTIONS=guess_backend=$b"
  else
    rows+=("| akeso DFS, $b backend | | | | ${backend_state[$b]} | | | | |")
  fi
done
if [ "$have_swipl" = 1 ]; then
  note "n-queens: SWI-Prolog"
  echo "$qn." >"$work/queens.in"
  measure "$runs" "$work/queens.in" swipl -O "$work/queens.pl"
  net swipl_queens
  row "SWI-Prolog $(swipl --version | awk '{ print $3 }') (swipl -O)" "N = $qn" "$ext" "$runs" \
    "$([ "$M_STATUS" = ok ] && check "$(sed -n 's/^solutions(\([0-9]*\))$/\1/p' "$M_OUT") solutions" "$sol solutions")" "$hand"
fi
if [ "$have_gprolog" = 1 ]; then
  note "n-queens: GNU Prolog"
  echo "$qn." >"$work/queens.in"
  measure "$runs" "$work/queens.in" "$work/queens_gp"
  net gprolog_queens
  row "GNU Prolog $(gplc --version 2>&1 | awk 'NR == 1 { print $NF }') (gplc)" "N = $qn" "$ext" "$runs" \
    "$([ "$M_STATUS" = ok ] && check "$(sed -n 's/^solutions(\([0-9]*\))$/\1/p' "$M_OUT") solutions" "$sol solutions")" "$hand"
fi
if [ "$qsmall" != "$qn" ]; then
  note "n-queens: hand-coded C, N = $qsmall"
  queens "$qsmall"
  row "hand-coded C (clang -O2)" "N = $qsmall" "$Q_EXT" "$runs" "$Q_SOL solutions; process minus start-up $M_NET s" "$Q_CPU"
  akeso_queens "akeso DFS (undo log)" "$qsmall" "$Q_SOL" "$Q_EXT" "$Q_CPU" ""
fi
# (hand-coded C at qsmall: measured just above, or, when qsmall is qn, the
# first measurement: the fork backend's rows overwrote Q_*)
if [ "$qsmall" = "$qn" ]; then Q_SOL=$sol Q_EXT=$ext Q_CPU=$hand; fi
akeso_queens "akeso BFS (undo log, deltas)" "$qsmall" "$Q_SOL" "$Q_EXT" "$Q_CPU" "" -bfs
akeso_queens "akeso A* (undo log, deltas; plain guesses: all ties)" "$qsmall" "$Q_SOL" "$Q_EXT" "$Q_CPU" "" -astar
flush_table "n-queens, all solutions" >>"$report"

# ---------------------------------------------------------------- sudoku
# Puzzle as a Prolog list of 81 integers (0 = empty), as sudoku.pl reads it.
prolog_puzzle() { grep -v '^#' "$1" | tr -d ' \t\r\n|+-' | sed 's/\./0/g; s/./&,/g; s/,$//; s/^/[/; s/$/]./'; }
sudoku_solutions() { grep -c '^solution$' "$1" || true; }
sudoku_case() { # PUZZLE WITH_PROLOG STRATEGY...
  local p=$1 prolog=$2 name sol ext hand
  shift 2
  name=$(basename "$p" .txt)
  note "sudoku $name: hand-coded C"
  measure "$runs" "$empty" "$work/sudoku_hand" -q "$p"
  net hand_sudoku
  own_clock
  [ "$M_STATUS" = ok ] || { echo "run-guess.sh: sudoku_hand $p: $M_STATUS" >&2; exit 1; }
  sol=$(field solutions "$M_OUT") ext=$(field extensions "$M_OUT") hand=$M_CPU
  row "hand-coded C (clang -O2)" "$name" "$ext" "$runs" "$sol solutions; process minus start-up $M_NET s" "$hand"
  for s in "$@"; do
    note "sudoku $name: akeso $s"
    case $s in
      dfs) measure "$akeso_runs" "$empty" "$work/sudoku" -q "$p"; label="akeso DFS (undo log)" e=$ext ;;
      bfs) measure "$akeso_runs" "$empty" "$work/sudoku" -q -bfs "$p"; label="akeso BFS (undo log, deltas)" e=$ext ;;
      pages) measure "$akeso_runs" "$empty" env AKESO_OPTIONS=guess_backend=pages "$work/sudoku_plain" -q "$p"
        label="akeso DFS, pages backend ($plain_label)" e=$ext base=pages_sudoku ;;
      astar) measure "$akeso_runs" "$empty" "$work/sudoku" -q -astar "$p"
        label="akeso A* (most-constrained cell: another tree)" e="" ;;
    esac
    net "${base:-akeso_sudoku}"
    base=""
    row "$label" "$name" "$e" "$akeso_runs" "$([ "$M_STATUS" = ok ] && check "$(sudoku_solutions "$M_OUT") solutions" "$sol solutions")" "$hand"
  done
  [ "$prolog" = 1 ] || return 0
  prolog_puzzle "$p" >"$work/sudoku.in"
  if [ "$have_swipl" = 1 ]; then
    note "sudoku $name: SWI-Prolog"
    measure "$runs" "$work/sudoku.in" swipl -O "$work/sudoku.pl"
    net swipl_sudoku
    row "SWI-Prolog (swipl -O)" "$name" "$ext" "$runs" \
      "$([ "$M_STATUS" = ok ] && check "$(sed -n 's/^solutions(\([0-9]*\))$/\1/p' "$M_OUT") solutions" "$sol solutions")" "$hand"
  fi
  if [ "$have_gprolog" = 1 ]; then
    note "sudoku $name: GNU Prolog"
    measure "$runs" "$work/sudoku.in" "$work/sudoku_gp"
    net gprolog_sudoku
    row "GNU Prolog (gplc)" "$name" "$ext" "$runs" \
      "$([ "$M_STATUS" = ok ] && check "$(sed -n 's/^solutions(\([0-9]*\))$/\1/p' "$M_OUT") solutions" "$sol solutions")" "$hand"
  fi
}
note "sudoku: start-up runs"
solved=534678912672195348198342567859761423426853791713924856961537284287419635345286179
startup hand_sudoku "$runs" "$empty" "$work/sudoku_hand" -q "$solved"
startup akeso_sudoku "$akeso_runs" "$empty" "$work/sudoku" -q "$solved"
pages_ok=0
[ "${backend_state[pages]:-}" = ok ] && pages_ok=1 &&
  startup pages_sudoku "$akeso_runs" "$empty" env AKESO_OPTIONS=guess_backend=pages "$work/sudoku_plain" -q "$solved"
prolog_puzzle <(echo "$solved") >"$work/solved.in"
[ "$have_swipl" = 1 ] && startup swipl_sudoku "$runs" "$work/solved.in" swipl -O "$work/sudoku.pl"
[ "$have_gprolog" = 1 ] && startup gprolog_sudoku "$runs" "$work/solved.in" "$work/sudoku_gp"
p_hard=() p_small=()
[ "$pages_ok" = 1 ] && [ "$pages_puzzle" = "$puzzle" ] && p_hard=(pages)
[ "$pages_ok" = 1 ] && [ "$pages_puzzle" = "$puzzle_small" ] && p_small=(pages)
sudoku_case "$puzzle" 1 dfs astar "${p_hard[@]}"
[ "$puzzle_small" = "$puzzle" ] || sudoku_case "$puzzle_small" 0 dfs bfs "${p_small[@]}"
flush_table "sudoku, all solutions" >>"$report"

# ---------------------------------------------------------------- SAT
verdict() { sed -n 's/^s \(.*\)$/\1/p' "$1" | head -1; }
# DIMACS (as examples/sat/check_model.py reads it) to cnf(N, [[L, ...], ...]).
prolog_cnf() {
  awk '/^p cnf/ { printf "cnf(%d, [", $3; next } /^c/ { next } /^%/ { exit }
    { for (i = 1; i <= NF; i++)
        if ($i == "0") { printf "%s[%s]", (k++ ? "," : ""), cur; cur = ""; sep = "" }
        else { cur = cur sep $i; sep = "," } }
    END { print "])." }' "$1"
}
model_ok() { # CNF OUTPUT [WANT] -> the verdict, or a loud failure
  local msg
  if [ -n "${3:-}" ] && [ "$(verdict "$2")" != "$3" ]; then
    echo "$(verdict "$2"), hand-coded C: $3" >>"$work/wrong"
    echo "**WRONG: $(verdict "$2"), hand-coded C says $3**"
  elif msg=$(python3 "$src/examples/sat/check_model.py" "$1" "$2" 2>&1); then
    echo "$msg"
  else
    echo "$msg" >>"$work/wrong"
    note "WRONG ANSWER on $1: $msg"
    echo "**WRONG: $msg**"
  fi
}
note "SAT: start-up runs"
printf 'p cnf 1 1\n1 0\n' >"$work/unit.cnf"
startup hand_sat "$runs" "$empty" "$work/dpll_hand" "$work/unit.cnf"
startup akeso_sat "$akeso_runs" "$empty" "$work/dpll" "$work/unit.cnf"
[ "$pages_ok" = 1 ] &&
  startup pages_sat "$akeso_runs" "$empty" env AKESO_OPTIONS=guess_backend=pages "$work/dpll_plain" "$work/unit.cnf"
[ "$have_minisat" = 1 ] && startup minisat "$runs" "$empty" minisat -verb=0 "$work/unit.cnf" "$work/minisat.result"
echo "cnf(1, [[1]])." >"$work/unit.pl.in"
[ "$have_swipl" = 1 ] && startup swipl_sat "$runs" "$work/unit.pl.in" swipl -O "$work/dpll.pl"
[ "$have_gprolog" = 1 ] && startup gprolog_sat "$runs" "$work/unit.pl.in" "$work/dpll_gp"
for cnf in $cnfs; do
  name=$(basename "$cnf" .cnf)
  note "SAT $name: hand-coded C"
  measure "$runs" "$empty" "$work/dpll_hand" "$cnf"
  net hand_sat
  own_clock
  [ "$M_STATUS" = ok ] || { echo "run-guess.sh: dpll_hand $cnf: $M_STATUS" >&2; exit 1; }
  want=$(verdict "$M_OUT") ext=$(field extensions "$M_OUT") hand=$M_CPU
  row "hand-coded C (clang -O2)" "$name" "$ext" "$runs" "$(model_ok "$cnf" "$M_OUT"); process minus start-up $M_NET s" "$hand"
  for s in dfs bfs astar; do
    note "SAT $name: akeso $s"
    e=$ext
    # BFS and A* stop at another first model: another tree when satisfiable
    [ "$s" != dfs ] && [ "$want" = SATISFIABLE ] && e=""
    measure "$akeso_runs" "$empty" "$work/dpll" $([ "$s" = dfs ] || echo "-$s") "$cnf"
    net akeso_sat
    label="akeso $(echo "$s" | sed 's/dfs/DFS/; s/bfs/BFS/; s/astar/A*/') (undo log$([ "$s" = dfs ] || echo ", deltas"))"
    row "$label" "$name" "$e" "$akeso_runs" "$([ "$M_STATUS" = ok ] && model_ok "$cnf" "$M_OUT" "$want")" "$hand"
  done
  if [ "$pages_ok" = 1 ]; then
    note "SAT $name: akeso DFS, pages backend"
    measure "$akeso_runs" "$empty" env AKESO_OPTIONS=guess_backend=pages "$work/dpll_plain" "$cnf"
    net pages_sat
    row "akeso DFS, pages backend ($plain_label)" "$name" "$ext" "$akeso_runs" "$([ "$M_STATUS" = ok ] && model_ok "$cnf" "$M_OUT" "$want")" "$hand"
  fi
  # The formula as the Prolog term dpll.pl reads: cnf(VARIABLES, CLAUSES).
  prolog_cnf "$cnf" >"$work/cnf.pl.in"
  if [ "$have_swipl" = 1 ]; then
    note "SAT $name: SWI-Prolog"
    measure "$runs" "$work/cnf.pl.in" swipl -O "$work/dpll.pl"
    net swipl_sat
    row "SWI-Prolog (swipl -O)" "$name" "$ext" "$runs" "$([ "$M_STATUS" = ok ] && model_ok "$cnf" "$M_OUT" "$want")" "$hand"
  fi
  if [ "$have_gprolog" = 1 ]; then
    note "SAT $name: GNU Prolog"
    measure "$runs" "$work/cnf.pl.in" "$work/dpll_gp"
    net gprolog_sat
    row "GNU Prolog (gplc)" "$name" "$ext" "$runs" "$([ "$M_STATUS" = ok ] && model_ok "$cnf" "$M_OUT" "$want")" "$hand"
  fi
  if [ "$have_minisat" = 1 ]; then
    note "SAT $name: MiniSat"
    measure "$runs" "$empty" minisat -verb=0 "$cnf" "$work/minisat.result"
    net minisat
    got=$([ "$M_RC" = 10 ] && echo SATISFIABLE || echo UNSATISFIABLE)
    row "MiniSat (CDCL, the reference)" "$name" "" "$runs" "$([ "$M_STATUS" = ok ] && check "$got" "$want")" "$hand"
  fi
done
flush_table "SAT (DPLL: first model or unsatisfiable)" >>"$report"

# ---------------------------------------------------------------- report
akeso_src=$(akeso_source "$build")
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
echo "## guess / fail against hand-coded backtracking and Prolog: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- command: \`bash bench/run-guess.sh $1\`$([ "${AKESO_BENCH_QUICK:-0}" = 1 ] && echo " (AKESO_BENCH_QUICK=1)")"
echo "- machine: $(nproc) cores, $cpu_model; load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- akeso: $build from ${akeso_src:-?}: $([ -n "$akeso_src" ] && describe "$akeso_src" || echo unknown); benchmark sources: $(describe "$src")"
echo "- times: user + system CPU and wall time of the process, median of $runs runs for the Prologs and MiniSat, $akeso_runs for akeso, minus the same program's median on a trivial instance (start-up; CPU ms below); hand-coded C: its own CPU clock around the search (median of $runs runs; wall time still process minus start-up); limit $limit s per run"
startups=""
for k in "${!base_cpu[@]}"; do startups+="$k $(awk -v c="${base_cpu[$k]}" 'BEGIN { printf "%.0f", c * 1000 }'), "; done
echo "- start-up CPU ms: $(echo "${startups%, }" | tr ',' '\n' | sort | paste -sd ',' | sed 's/,/, /g; s/^ //')"
echo "- × hand-coded: CPU time over hand-coded C's on the same instance (same extension steps); \"(time …)\" where the search tree differs"
cat "$report"
if [ ${#notes[@]} -gt 0 ]; then
  echo
  printf -- '- note: %s\n' "${notes[@]}"
fi
if [ -s "$work/wrong" ]; then
  note "$(wc -l <"$work/wrong") wrong answer(s)"
  exit 1
fi
