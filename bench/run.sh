#!/usr/bin/env bash
# bench/run.sh - akeso's overhead on a request-processing workload.
#
#   bash bench/run.sh BUILD_DIR
#
# Builds bench/reqbench.c at -O2 in a temporary directory as
#
#   native          clang-19
#   akeso           akeso-cc with bench/reqbench.yaml: every request is a
#                   basic recovery domain, every load/store instrumented
#   akeso-noann     akeso-cc without annotations: the same instrumentation,
#                   no domain ever begins (the cost split)
#   asan, tsan      clang-19 -fsanitize=address / -fsanitize=thread
#   gcc-native      gcc, the baseline of the two libitm rows
#   libitm-ml_wt    gcc -fgnu-tm, every request a __transaction_atomic, run
#                   with ITM_DEFAULT_METHOD=ml_wt (libitm's write-through
#                   STM with an undo log, its default with >1 thread)
#   libitm-default  the same binary with libitm's own choice; with one
#                   thread in transactions that is serial-irrevocable mode,
#                   which runs the uninstrumented code under a global lock
#
# runs every variant RUNS times (round-robin, so a burst of load on the
# machine hits every variant alike), checks that every checksum equals the
# native one, checks that injected faults roll back to the same checksum,
# and prints a Markdown report on stdout: median loop time (wall and CPU),
# the ratio to native, and akeso's cost per instrumented access.  Progress
# goes to stderr.  The exit status is non-zero if a checksum differs.
#
# Environment:
#   AKESO_BENCH_RUNS=5           runs of each variant
#   AKESO_BENCH_REQUESTS=N       requests per run (default: reqbench's own)
#   AKESO_BENCH_THREADS=1        reqbench --threads
#   AKESO_BENCH_SEED=1           reqbench --seed
#   AKESO_BENCH_CALLGRIND=1      also count instructions with callgrind
#                                (repeatable where times are not)
#   AKESO_BENCH_CALLGRIND_REQUESTS=200000
#   AKESO_BENCH_KEEP=1           keep the temporary directory
#   CLANG=clang-19 GCC=gcc       compilers of the peer variants
#
# Siblings: bench/run-shared.sh (threads sharing one table, shrbench.c) and
# bench/run-rollback.sh (what a rollback costs, rollbench.c) take the same
# BUILD_DIR argument; see bench/README.md.
set -euo pipefail

usage() {
  echo "usage: bash bench/run.sh BUILD_DIR   (an akeso build tree)" >&2
  exit 2
}
[ $# -eq 1 ] || usage
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run.sh: no directory '$1'" >&2; exit 2; }
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$bench_dir/lib.sh"
akeso_cc=$build/bin/akeso-cc
[ -x "$akeso_cc" ] || { echo "run.sh: '$akeso_cc' not found; build akeso first (cmake --build $1)" >&2; exit 2; }

runs=${AKESO_BENCH_RUNS:-5}
threads=${AKESO_BENCH_THREADS:-1}
seed=${AKESO_BENCH_SEED:-1}
clang=${CLANG:-clang-19}
gcc=${GCC:-gcc}
src=$bench_dir/reqbench.c
yaml=$bench_dir/reqbench.yaml
args=(--threads "$threads" --seed "$seed")
[ -n "${AKESO_BENCH_REQUESTS:-}" ] && args+=(-n "$AKESO_BENCH_REQUESTS")

work=$(mktemp -d "${TMPDIR:-/tmp}/akeso-bench.XXXXXX")
if [ "${AKESO_BENCH_KEEP:-0}" = 1 ]; then
  echo "run.sh: keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

note() { echo "run.sh: $*" >&2; }
notes=() # printed with the report

# ---------------------------------------------------------------- build
cflags=(-std=c11 -O2)
variants=()          # names, in report order
declare -A describe  # name -> how it was built / run
declare -A binary    # name -> executable
declare -A runenv    # name -> extra environment (VAR=value ...)

# try NAME DESCRIPTION COMMAND... : build $work/NAME, or note why not.
try() {
  local name=$1 what=$2
  shift 2
  if "$@" -o "$work/$name" >"$work/$name.build.log" 2>&1; then
    variants+=("$name")
    describe[$name]=$what
    binary[$name]=$work/$name
    runenv[$name]=""
    return 0
  fi
  note "skipping $name: build failed ($(head -c 300 "$work/$name.build.log" | tr '\n' ' '))"
  notes+=("$name skipped: its build failed")
  return 1
}

rt_built=$(date -u -r "$build/lib/libakeso_rt.a" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')
note "building in $work"
command -v "$clang" >/dev/null || { echo "run.sh: $clang not found" >&2; exit 2; }
try native "$clang ${cflags[*]}" "$clang" "${cflags[@]}" "$src" -lpthread ||
  { echo "run.sh: the native build failed; see above" >&2; exit 2; }
try akeso "akeso-cc --akeso-annotations=bench/reqbench.yaml ${cflags[*]}" \
  "$akeso_cc" --akeso-annotations="$yaml" -DREQBENCH_AKESO "${cflags[@]}" "$src" ||
  { echo "run.sh: the akeso build failed; see above" >&2; exit 1; }
try akeso-noann "akeso-cc ${cflags[*]} (no annotation file)" \
  "$akeso_cc" -DREQBENCH_AKESO "${cflags[@]}" "$src" || true
try asan "$clang ${cflags[*]} -fsanitize=address" \
  "$clang" "${cflags[@]}" -fsanitize=address "$src" -lpthread || true
try tsan "$clang ${cflags[*]} -fsanitize=thread" \
  "$clang" "${cflags[@]}" -fsanitize=thread "$src" -lpthread || true

if command -v "$gcc" >/dev/null; then
  try gcc-native "$gcc ${cflags[*]}" "$gcc" "${cflags[@]}" "$src" -lpthread || true
  # Is libitm there at all?  A one-line transaction tells.
  printf 'int x; int main(void) { __transaction_atomic { x++; } return x - 1; }\n' >"$work/tm.c"
  if "$gcc" -fgnu-tm "$work/tm.c" -o "$work/tm" >"$work/tm.log" 2>&1 && "$work/tm"; then
    if try libitm-ml_wt "$gcc ${cflags[*]} -fgnu-tm -DUSE_TM, ITM_DEFAULT_METHOD=ml_wt" \
      "$gcc" "${cflags[@]}" -fgnu-tm -DUSE_TM "$src" -lpthread; then
      runenv[libitm-ml_wt]="ITM_DEFAULT_METHOD=ml_wt"
      variants+=(libitm-default)
      describe[libitm-default]="the same binary, libitm's default method (serial-irrevocable with one thread)"
      binary[libitm-default]=$work/libitm-ml_wt
      runenv[libitm-default]=""
    fi
  else
    note "skipping the libitm peer: gcc -fgnu-tm cannot build or run a transaction (libitm not installed?)"
    notes+=("libitm peer skipped: gcc -fgnu-tm could not build a transaction (is libitm installed?)")
  fi
else
  note "skipping gcc-native and libitm: $gcc not found"
  notes+=("gcc-native and libitm skipped: $gcc not found")
fi

# ---------------------------------------------------------------- run
# run_variant NAME [reqbench args...] -> stdout of reqbench; stderr to a file
run_variant() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  env ${runenv[$name]} "${binary[$name]}" "$@"
}

field() { awk -v k="$1" '$1 == k { print $2 }'; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A checksum # name -> checksum of the first run
failures=0
mismatch_rows=()
for ((round = 1; round <= runs; round++)); do
  note "round $round/$runs"
  for name in "${variants[@]}"; do
    out=$work/$name.run$round.out
    rc=0
    run_variant "$name" "${args[@]}" >"$out" 2>"$work/$name.run$round.err" || rc=$?
    if [ "$rc" != 0 ]; then
      note "$name: run $round exited with status $rc (stderr: $(tail -c 400 "$work/$name.run$round.err" | tr '\n' ' '))"
      failures=$((failures + 1))
      continue
    fi
    sum=$(field checksum <"$out")
    field loop_seconds <"$out" >>"$work/$name.wall"
    field loop_cpu_seconds <"$out" >>"$work/$name.cpu"
    if [ -z "${checksum[$name]:-}" ]; then
      checksum[$name]=$sum
    elif [ "${checksum[$name]}" != "$sum" ]; then
      note "$name: checksum $sum in run $round differs from ${checksum[$name]} in run 1"
      checksum[$name]="${checksum[$name]}/$sum"
    fi
  done
done

# ---------------------------------------------------------------- checks
native_sum=${checksum[native]:-none}
for name in "${variants[@]}"; do
  if [ "${checksum[$name]:-none}" != "$native_sum" ]; then
    mismatch_rows+=("$name")
    note "CHECKSUM MISMATCH: $name ${checksum[$name]:-none} vs native $native_sum"
  fi
done

# Rollback: every 7th request faults after doing its work; the runtime must
# undo it, so the checksum must equal native's, where it is never executed.
fault_args=(-n 200000 --threads 2 --seed "$seed" --fault-every 7)
native_fault=$(run_variant native "${fault_args[@]}" | field checksum) || native_fault="exit status $?"
akeso_fault=$(AKESO_OPTIONS=verbosity=0:stats=1 run_variant akeso "${fault_args[@]}" \
  2>"$work/akeso.fault.err" | field checksum) || akeso_fault="exit status $?"
rolled_back=$(sed -n 's/.*rolled back \([0-9]*\)$/\1/p' "$work/akeso.fault.err" | tail -1)
if [ "$native_fault" = "$akeso_fault" ]; then
  rollback_line="passed: \`reqbench ${fault_args[*]}\` gives checksum $akeso_fault under akeso (${rolled_back:-?} requests rolled back) and natively"
else
  rollback_line="FAILED: \`reqbench ${fault_args[*]}\` gives $akeso_fault under akeso, $native_fault natively"
  failures=$((failures + 1))
  note "ROLLBACK CHECK FAILED: akeso $akeso_fault vs native $native_fault"
fi

# ---------------------------------------------------------------- counts
# Access counts of the request loop alone: a run of N requests minus a run
# of none (set-up and teardown are in both).
stats_of() { # NAME ARGS... -> "loads stores domains logged"
  local name=$1
  shift
  AKESO_OPTIONS=stats=1 run_variant "$name" "$@" 2>&1 >/dev/null | awk '
    /stats: domains begun/ { gsub(",", ""); d = $5 }
    /stats: logged writes/ { gsub(",", ""); w = $5 }
    /stats: instrumented loads/ { gsub("[,;]", ""); l = $5; s = $7 }
    END { print l + 0, s + 0, d + 0, w + 0 }'
}
read -r loads_n stores_n domains_n logged_n < <(stats_of akeso "${args[@]}")
zero_args=("${args[@]}" -n 0)
read -r loads_0 stores_0 domains_0 logged_0 < <(stats_of akeso "${zero_args[@]}")
loads=$((loads_n - loads_0))
stores=$((stores_n - stores_0))
domains=$((domains_n - domains_0))
logged=$((logged_n - logged_0))
requests=$(field requests <"$work/native.run1.out")

# ---------------------------------------------------------------- callgrind
cg_rows=()
if [ "${AKESO_BENCH_CALLGRIND:-0}" = 1 ]; then
  if command -v valgrind >/dev/null; then
    cg_n=${AKESO_BENCH_CALLGRIND_REQUESTS:-200000}
    instructions() { # NAME ARGS... -> instructions executed, or "failed"
      local name=$1
      shift
      # shellcheck disable=SC2086
      if ! env ${runenv[$name]} valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
        "${binary[$name]}" "$@" >/dev/null 2>"$work/cg.$name.err"; then
        note "callgrind failed on $name: $(tail -c 300 "$work/cg.$name.err" | tr '\n' ' ')"
        echo failed
        return
      fi
      awk '/^(summary|totals):/ { print $2; exit }' "$work/cg.out"
    }
    declare -A cg
    for name in native akeso akeso-noann gcc-native libitm-ml_wt libitm-default; do
      [ -n "${binary[$name]:-}" ] || continue
      note "callgrind: $name"
      a=$(instructions "$name" --threads 1 --seed "$seed" -n "$cg_n")
      b=$(instructions "$name" --threads 1 --seed "$seed" -n 0)
      if [ "$a" = failed ] || [ "$b" = failed ]; then
        notes+=("callgrind could not run $name")
        continue
      fi
      cg[$name]=$((a - b))
    done
    for name in native akeso akeso-noann gcc-native libitm-ml_wt libitm-default; do
      [ -n "${cg[$name]:-}" ] || continue
      cg_rows+=("$(awk -v n="$name" -v i="${cg[$name]}" -v base="${cg[native]}" -v r="$cg_n" \
        'BEGIN { printf "| %s | %.0f | %.1f | %.2f |", n, i, i / r, i / base }')")
    done
  else
    notes+=("AKESO_BENCH_CALLGRIND=1 but valgrind is not installed; no instruction counts")
  fi
fi

# ---------------------------------------------------------------- report
wall_native=$(median <"$work/native.wall")
cpu_native=$(median <"$work/native.cpu")
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)

echo "## reqbench: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- command: \`bash bench/run.sh $1\`"
echo "- machine: $(nproc) cores (\`nproc\`), $cpu_model; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- workload: $requests requests, $threads thread(s), seed $seed, -O2; median of $runs runs"
akeso_src=$(akeso_source "$build")
echo "- akeso: $build (runtime built $rt_built) from ${akeso_src:-?}: $([ -n "$akeso_src" ] && describe "$akeso_src" || echo unknown)"
echo "- benchmark sources: $bench_dir: $(describe "$bench_dir" .)"
echo "- compilers: $("$clang" --version | head -1)$(command -v "$gcc" >/dev/null && echo "; $("$gcc" --version | head -1)")"
echo
echo "| variant | median loop s (wall) | x native | median loop s (CPU) | x native (CPU) | CPU s min-max | checksum |"
echo "|---|---:|---:|---:|---:|---:|---|"
for name in "${variants[@]}"; do
  [ -s "$work/$name.wall" ] || { echo "| $name | failed | | | | | |"; continue; }
  w=$(median <"$work/$name.wall")
  c=$(median <"$work/$name.cpu")
  range=$(sort -g "$work/$name.cpu" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }')
  ok="same"
  [ "${checksum[$name]:-none}" = "$native_sum" ] || ok="**DIFFERS** (${checksum[$name]:-none})"
  awk -v n="$name" -v w="$w" -v c="$c" -v wn="$wall_native" -v cn="$cpu_native" -v ok="$ok" -v r="$range" \
    'BEGIN { printf "| %s | %.3f | %.2f | %.3f | %.2f | %s | %s |\n", n, w, w / wn, c, c / cn, r, ok }'
done
echo
echo "Native checksum: \`$native_sum\`."
echo
echo "Variants:"
for name in "${variants[@]}"; do
  echo "- $name: ${describe[$name]}"
done
echo
echo "### akeso: cost per instrumented access"
echo
echo "From \`AKESO_OPTIONS=stats=1\`, request loop only (a run of $requests requests minus a run of 0):"
echo
wall_akeso=$(median <"$work/akeso.wall")
cpu_akeso=$(median <"$work/akeso.cpu")
if [ -s "$work/akeso-noann.wall" ]; then
  wall_noann=$(median <"$work/akeso-noann.wall")
  cpu_noann=$(median <"$work/akeso-noann.cpu")
else
  wall_noann=nan cpu_noann=nan
fi
awk -v l="$loads" -v s="$stores" -v d="$domains" -v g="$logged" -v r="$requests" \
  -v wa="$wall_akeso" -v ca="$cpu_akeso" -v wn="$wall_native" -v cn="$cpu_native" \
  -v wi="$wall_noann" -v ci="$cpu_noann" 'BEGIN {
  a = l + s
  printf "| quantity | value |\n|---|---:|\n"
  printf "| instrumented loads | %d (%.1f per request) |\n", l, l / r
  printf "| instrumented stores (incl. ranges) | %d (%.1f per request) |\n", s, s / r
  printf "| domains | %d |\n", d
  printf "| words logged (first writes) | %d (%.1f per request) |\n", g, g / r
  printf "| (akeso - native) / accesses, wall | %.2f ns |\n", (wa - wn) * 1e9 / a
  printf "| (akeso - native) / accesses, CPU | %.2f ns |\n", (ca - cn) * 1e9 / a
  if (wi != "nan") {
    printf "| (akeso-noann - native) / accesses, CPU: instrumentation alone | %.2f ns |\n", (ci - cn) * 1e9 / a
    printf "| (akeso - akeso-noann) / requests, CPU: domains and logging | %.0f ns |\n", (ca - ci) * 1e9 / r
  }
  printf "| native time per request, CPU | %.0f ns |\n", cn * 1e9 / r
}'
echo
echo "Rollback check $rollback_line."
if [ ${#cg_rows[@]} -gt 0 ]; then
  echo
  echo "### Instructions (callgrind, $cg_n requests, 1 thread, set-up subtracted)"
  echo
  echo "| variant | instructions | per request | x native |"
  echo "|---|---:|---:|---:|"
  printf '%s\n' "${cg_rows[@]}"
fi
if [ ${#notes[@]} -gt 0 ]; then
  echo
  printf -- '- note: %s\n' "${notes[@]}"
fi

status=0
if [ ${#mismatch_rows[@]} -gt 0 ]; then
  note "checksum mismatch in: ${mismatch_rows[*]}"
  status=1
fi
if [ "$failures" -gt 0 ]; then
  note "$failures run(s) failed"
  status=1
fi
exit $status
