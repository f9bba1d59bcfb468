#!/usr/bin/env bash
# bench/run-rollback.sh - what a rollback costs, on one thread and across
# threads.
#
#   bash bench/run-rollback.sh BUILD_DIR
#
# Builds bench/rollbench.c with akeso-cc (benchsync.c with plain clang) in a
# temporary directory and runs it with AKESO_OPTIONS=verbosity=0 (the
# default verbosity=1 prints a line to stderr for every rollback, which
# would be timed too).  Each configuration below runs RUNS times,
# round-robin; a run reports the median over its repetitions (see
# rollbench.c), and the report gives the median of those per-run medians
# and their range:
#
#   single thread   --writes 1,10,100,1000,10000: begin a domain, write N
#                   distinct words, fault; the same domain committing
#                   instead, interleaved, for comparison
#   dependents      --dependents K (K = 1, 2, 3) --mode active|completed,
#                   --writes 1,100,1000,10000: K other threads' domains
#                   read one of the faulting domain's words (an
#                   instrumented load, whose inline fast path calls
#                   __akeso_read_8) and must be rolled back with it
#   idle threads    --idle I (I = 1, 2, 3): the single-thread case with I
#                   threads that only exist, for the cost of stopping them
#
# Prints a Markdown report on stdout, progress on stderr.  Exits non-zero
# if a run fails its own checks (a word not restored, a dependent not
# rolled back).  Nothing here asserts on time.
#
# Environment:
#   AKESO_BENCH_RUNS=3           runs of each configuration
#   AKESO_BENCH_REPS=N           rollbench --reps (default: its own, by N)
#   AKESO_BENCH_EXPLICIT_READ=1  dependents also call __akeso_read_8 by
#                                hand before their load (for a compiler
#                                without the read fast path)
#   AKESO_BENCH_KEEP=1           keep the temporary directory
#   CLANG=clang-19
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: bash bench/run-rollback.sh BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run-rollback.sh: no directory '$1'" >&2; exit 2; }
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$bench_dir/lib.sh"
akeso_cc=$build/bin/akeso-cc
[ -x "$akeso_cc" ] || { echo "run-rollback.sh: '$akeso_cc' not found; build akeso first" >&2; exit 2; }
clang=${CLANG:-clang-19}
runs=${AKESO_BENCH_RUNS:-3}

work=$(mktemp -d "${TMPDIR:-/tmp}/akeso-rollback.XXXXXX")
if [ "${AKESO_BENCH_KEEP:-0}" = 1 ]; then
  echo "run-rollback.sh: keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
note() { echo "run-rollback.sh: $*" >&2; }

"$clang" -std=c11 -O2 -c "$bench_dir/benchsync.c" -o "$work/benchsync.o"
"$akeso_cc" -std=c11 -O2 "$bench_dir/rollbench.c" "$work/benchsync.o" \
  -o "$work/rollbench" -lpthread

common=()
[ -n "${AKESO_BENCH_REPS:-}" ] && common+=(--reps "$AKESO_BENCH_REPS")
[ "${AKESO_BENCH_EXPLICIT_READ:-0}" = 1 ] && common+=(--explicit-read)

# name -> rollbench arguments
configs=(single dep1-active dep2-active dep3-active dep1-completed
  dep2-completed dep3-completed idle1 idle2 idle3)
declare -A cargs=(
  [single]="--writes 1,10,100,1000,10000"
  [idle1]="--writes 1,100,1000,10000 --idle 1"
  [idle2]="--writes 1,100,1000,10000 --idle 2"
  [idle3]="--writes 1,100,1000,10000 --idle 3"
)
for k in 1 2 3; do
  for m in active completed; do
    cargs[dep$k-$m]="--writes 1,100,1000,10000 --dependents $k --mode $m"
  done
done

failures=0
for ((round = 1; round <= runs; round++)); do
  for c in "${configs[@]}"; do
    note "round $round/$runs: $c"
    # shellcheck disable=SC2086
    if ! AKESO_OPTIONS=verbosity=0 timeout 600 "$work/rollbench" ${cargs[$c]} "${common[@]}" \
      >"$work/$c.$round.out" 2>"$work/$c.$round.err"; then
      note "$c: run $round failed: $(tail -c 400 "$work/$c.$round.err" | tr '\n' ' ')"
      failures=$((failures + 1))
    fi
  done
done

# value CONFIG WRITES KEY -> "median (min-max)" of KEY over the runs
stat() {
  local c=$1 n=$2 key=$3
  cat "$work/$c".*.out 2>/dev/null | awk -v n="$n" -v k="$key" '
    $1 == "rollbench" {
      found = 0; v = ""
      for (i = 2; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "writes" && kv[2] == n) found = 1
        if (kv[1] == k) v = kv[2]
      }
      if (found && v != "") vals[++m] = v + 0
    }
    END {
      if (m == 0) { print "-"; exit }
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
        if (vals[j] < vals[i]) { t = vals[i]; vals[i] = vals[j]; vals[j] = t }
      med = (m % 2) ? vals[(m + 1) / 2] : (vals[m / 2] + vals[m / 2 + 1]) / 2
      fmt = med >= 100 ? "%.0f" : med >= 10 ? "%.1f" : "%.2f"
      printf fmt, med
      if (m > 1) { printf " (" fmt "-" fmt ")", vals[1], vals[m] }
      printf "\n"
    }'
}
med() { stat "$@" | cut -d' ' -f1; }

akeso_src=$(akeso_source "$build")
rt_built=$(date -u -r "$build/lib/libakeso_rt.a" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')
reps_note=${AKESO_BENCH_REPS:-"2000 for N <= 100, 1000 for N = 1000, 300 for N = 10000"}

echo "## rollbench: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- command: \`bash bench/run-rollback.sh $1\`$([ -n "${AKESO_BENCH_REPS:-}" ] && echo " with AKESO_BENCH_REPS=$AKESO_BENCH_REPS")$([ "${AKESO_BENCH_EXPLICIT_READ:-0}" = 1 ] && echo " with AKESO_BENCH_EXPLICIT_READ=1")"
echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- akeso: $build (runtime built $rt_built) from ${akeso_src:-?}: $( [ -n "$akeso_src" ] && describe "$akeso_src" || echo unknown)"
echo "- benchmark sources: $bench_dir: $(describe "$bench_dir" .)"
echo "- $runs runs of each configuration, round-robin; each run: the median over its repetitions ($reps_note, after 20 unrecorded); cells: median of the run medians (min-max of the run medians), microseconds"
echo "- dependents read $([ "${AKESO_BENCH_EXPLICIT_READ:-0}" = 1 ] && echo "through an explicit \`__akeso_read_8\` before the load" || echo "with a plain instrumented load (the inline read fast path calls the hook)"); each writes 8 words of its own"
echo
echo "### One thread"
echo
echo "| logged writes N | write (µs) | commit (µs) | rollback (µs) | rollback p10-p90 of one run (µs) | rollback per word (ns) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in 1 10 100 1000 10000; do
  echo "| $n | $(med single $n write_us) | $(med single $n commit_us) | **$(stat single $n rollback_us)** | $(med single $n rollback_p10_us)-$(med single $n rollback_p90_us) | $(med single $n rollback_ns_per_word) |"
done
echo
for m in active completed; do
  echo "### K dependent domains on other threads, $m at the fault"
  echo
  if [ $m = active ]; then
    echo "Rollback: the faulting thread, from akeso_fault() to its landing pad. Last landed: from akeso_fault() until the last dependent has run its own landing pad."
  else
    echo "Rollback: the faulting thread, from akeso_fault() to its landing pad; it also undoes the completed dependents."
  fi
  echo
  if [ $m = active ]; then
    echo "| N | K=0 rollback | K=1 rollback | K=1 last landed | K=2 rollback | K=2 last landed | K=3 rollback | K=3 last landed |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  else
    echo "| N | K=0 rollback | K=1 rollback | K=2 rollback | K=3 rollback |"
    echo "|---:|---:|---:|---:|---:|"
  fi
  for n in 1 100 1000 10000; do
    row="| $n | $(stat single $n rollback_us)"
    for k in 1 2 3; do
      row="$row | $(stat dep$k-$m $n rollback_us)"
      [ $m = active ] && row="$row | $(stat dep$k-$m $n landed_us)"
    done
    echo "$row |"
  done
  echo
done
echo "### Idle threads (no dependents): what stopping the world costs"
echo
echo "| N | 0 idle | 1 idle | 2 idle | 3 idle |"
echo "|---:|---:|---:|---:|---:|"
for n in 1 100 1000 10000; do
  echo "| $n | $(stat single $n rollback_us) | $(stat idle1 $n rollback_us) | $(stat idle2 $n rollback_us) | $(stat idle3 $n rollback_us) |"
done
echo
bad=$(cat "$work"/*.out | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^bad_/ && $i !~ /=0$/) b++ } END { print b + 0 }')
echo "Checks: $([ "$failures" = 0 ] && [ "$bad" = 0 ] && echo "every run restored every word and rolled back every dependent" || echo "**$failures run(s) failed, $bad result line(s) with unrestored words or dependents not rolled back**")."
[ "$failures" = 0 ] && [ "$bad" = 0 ]
