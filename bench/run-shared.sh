#!/usr/bin/env bash
# bench/run-shared.sh - akeso's overhead when threads share state.
#
#   bash bench/run-shared.sh BUILD_DIR
#
# Builds bench/shrbench.c at -O2 in a temporary directory as
#
#   native        clang-19
#   akeso         akeso-cc --akeso-annotations=bench/shrbench.yaml: every
#                 request a basic recovery domain
#   akeso-noann   akeso-cc without annotations: the instrumentation alone
#
# and runs each of them on four configurations: 1 and 2 threads sharing
# one table, over 16384 keys (threads rarely touch the same entry at the
# same time) and over 64 keys (they meet all the time).  Every
# variant/configuration pair runs RUNS times, round-robin, so a burst of
# load hits all alike.  The report (Markdown, stdout) gives the median
# loop time, wall and CPU, the ratio to native in the same configuration,
# throughput and its scaling from 1 to 2 threads, akeso's statistics
# (dependence edges, domains that waited to commit, logged words), a
# rollback check with injected faults, and whether the default limit on
# domains waiting to commit holds on the contended table.  Progress goes to stderr.  The exit
# status is non-zero if a checksum differs from native's (1 thread), an
# invariant fails, or a run fails.  Nothing asserts on time.
#
# Environment:
#   AKESO_BENCH_RUNS=5        runs of each variant and configuration
#   AKESO_BENCH_REQUESTS=N    requests per run (default: shrbench's own)
#   AKESO_BENCH_SEED=1
#   AKESO_BENCH_AKESO_OPTIONS=max_pending_domains=65536
#                             AKESO_OPTIONS of the akeso runs (verbosity=0
#                             is added).  The default limit of 1024
#                             completed domains waiting per thread is
#                             exceeded in bursts on the 64-key table, and
#                             the runtime then aborts; the report says
#                             whether it still does, in extra runs with
#                             the default options
#   AKESO_BENCH_LIMIT_RUNS=3  how many of those
#   AKESO_BENCH_FAULT_TIMEOUT=120  seconds a rollback-check run may take
#   AKESO_BENCH_KEEP=1        keep the temporary directory
#   CLANG=clang-19
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: bash bench/run-shared.sh BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" 2>/dev/null && pwd) || { echo "run-shared.sh: no directory '$1'" >&2; exit 2; }
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$bench_dir/lib.sh"
akeso_cc=$build/bin/akeso-cc
[ -x "$akeso_cc" ] || { echo "run-shared.sh: '$akeso_cc' not found; build akeso first" >&2; exit 2; }
clang=${CLANG:-clang-19}
runs=${AKESO_BENCH_RUNS:-5}
seed=${AKESO_BENCH_SEED:-1}
src=$bench_dir/shrbench.c
yaml=$bench_dir/shrbench.yaml
base_args=(--seed "$seed")
akeso_options="verbosity=0:${AKESO_BENCH_AKESO_OPTIONS-max_pending_domains=65536}"
akeso_options=${akeso_options%:}
[ -n "${AKESO_BENCH_REQUESTS:-}" ] && base_args+=(-n "$AKESO_BENCH_REQUESTS")

work=$(mktemp -d "${TMPDIR:-/tmp}/akeso-shared.XXXXXX")
if [ "${AKESO_BENCH_KEEP:-0}" = 1 ]; then
  echo "run-shared.sh: keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
note() { echo "run-shared.sh: $*" >&2; }

cflags=(-std=c11 -O2)
"$clang" "${cflags[@]}" "$src" -o "$work/native" -lpthread
"$akeso_cc" --akeso-annotations="$yaml" -DSHRBENCH_AKESO "${cflags[@]}" "$src" -o "$work/akeso" -lpthread
"$akeso_cc" -DSHRBENCH_AKESO "${cflags[@]}" "$src" -o "$work/akeso-noann" -lpthread
variants=(native akeso akeso-noann)
configs=("1 16384" "2 16384" "1 64" "2 64")
cname() { echo "t$1-k$2"; }

field() { awk -v k="$1" '$1 == k { print $2 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

failures=0
declare -A checksum
for ((round = 1; round <= runs; round++)); do
  note "round $round/$runs"
  for cfg in "${configs[@]}"; do
    read -r t k <<<"$cfg"
    c=$(cname "$t" "$k")
    for v in "${variants[@]}"; do
      out=$work/$v.$c.$round.out
      if ! AKESO_OPTIONS=$akeso_options timeout 600 "$work/$v" "${base_args[@]}" --threads "$t" --keys "$k" \
        >"$out" 2>"$work/$v.$c.$round.err"; then
        note "$v $c: run $round failed: $(tail -c 400 "$work/$v.$c.$round.err" | tr '\n' ' ')"
        failures=$((failures + 1))
        continue
      fi
      field loop_seconds <"$out" >>"$work/$v.$c.wall"
      field loop_cpu_seconds <"$out" >>"$work/$v.$c.cpu"
      [ "$(field invariants <"$out")" = ok ] || { note "$v $c: invariants FAILED"; failures=$((failures + 1)); }
      sum=$(field checksum <"$out")
      if [ -z "${checksum[$v.$c]:-}" ]; then
        checksum[$v.$c]=$sum
      elif [ "${checksum[$v.$c]}" != "$sum" ]; then
        checksum[$v.$c]="${checksum[$v.$c]}/$sum"
      fi
    done
  done
done

mismatches=0
for cfg in "${configs[@]}"; do
  read -r t k <<<"$cfg"
  c=$(cname "$t" "$k")
  [ "$t" = 1 ] || continue
  for v in akeso akeso-noann; do
    if [ "${checksum[$v.$c]:-x}" != "${checksum[native.$c]:-y}" ]; then
      note "CHECKSUM MISMATCH: $v $c ${checksum[$v.$c]:-none} vs native ${checksum[native.$c]:-none}"
      mismatches=$((mismatches + 1))
    fi
  done
done

# akeso's counters for each configuration: "loads stores domains logged edges waited collateral"
stats_of() {
  AKESO_OPTIONS=$akeso_options:stats=1 "$work/akeso" "$@" 2>&1 >/dev/null | awk '
    /stats: domains begun/ { gsub(",", ""); d = $5 }
    /stats: logged writes/ { gsub(",", ""); w = $5 }
    /stats: dependence edges/ { gsub(",", ""); e = $5; q = $11; c = $16 }
    /stats: instrumented loads/ { gsub("[,;]", ""); l = $5; s = $7 }
    END { print l + 0, s + 0, d + 0, w + 0, e + 0, q + 0, c + 0 }'
}

# status_of RC -> "exit status N (signal S)" for a failed run
status_of() {
  if [ "$1" = 124 ]; then
    echo "timed out after ${fault_timeout}s"
  elif [ "$1" -gt 128 ]; then
    echo "exit status $1 (signal $(($1 - 128)))"
  else
    echo "exit status $1"
  fi
}
fault_timeout=${AKESO_BENCH_FAULT_TIMEOUT:-120}

# Rollback check: every 7th request of each thread faults, on 1 and on 2
# threads.  Under akeso the faulting requests are rolled back (and, on 2
# threads, whatever read their updates); natively they are skipped.
fault_rows=()
for cfg in "1 16384" "2 16384" "2 64"; do
  read -r t k <<<"$cfg"
  fargs=(-n 400000 --threads "$t" --keys "$k" --seed "$seed" --fault-every 7)
  rc=0
  nat=$(timeout "$fault_timeout" "$work/native" "${fargs[@]}" 2>/dev/null | field invariants) || rc=$?
  [ "$rc" = 0 ] || nat=$(status_of "$rc")
  rc=0
  start=$(date +%s.%N)
  out=$(AKESO_OPTIONS=$akeso_options:stats=1 timeout "$fault_timeout" "$work/akeso" "${fargs[@]}" 2>"$work/fault.$t.$k.err") || rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  ak=$(echo "$out" | field invariants)
  [ "$rc" = 0 ] || ak="$(status_of "$rc")${ak:+, invariants $ak}"
  rolled=$(awk '/rolled back as dependents/ { gsub(",", ""); print $16 }' "$work/fault.$t.$k.err" || true)
  if [ "$nat" != ok ] || [ "$ak" != ok ]; then
    note "ROLLBACK CHECK FAILED (threads $t, keys $k): native $nat, akeso $ak"
    failures=$((failures + 1))
  fi
  fault_rows+=("| \`shrbench ${fargs[*]}\` | $nat | $ak | $secs | $(echo "$out" | field faulted) | $(echo "$out" | field collateral) | ${rolled:--} |")
done

# The default limit on waiting domains, on the contended table.
limit_runs=${AKESO_BENCH_LIMIT_RUNS:-3}
limit_aborts=0
for ((i = 1; i <= limit_runs; i++)); do
  AKESO_OPTIONS=verbosity=0 timeout 600 "$work/akeso" "${base_args[@]}" --threads 2 --keys 64 \
    >/dev/null 2>"$work/limit.$i.err" || limit_aborts=$((limit_aborts + 1))
done
limit_msg=$(cat "$work"/limit.*.err | grep -m1 "max_pending_domains" | sed 's/^akeso: //' || true)

# ---------------------------------------------------------------- report
akeso_src=$(akeso_source "$build")
rt_built=$(date -u -r "$build/lib/libakeso_rt.a" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')
requests=$(field requests <"$work/native.t1-k16384.1.out")

echo "## shrbench: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- command: \`bash bench/run-shared.sh $1\`"
echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- akeso: $build (runtime built $rt_built) from ${akeso_src:-?}: $( [ -n "$akeso_src" ] && describe "$akeso_src" || echo unknown)"
echo "- benchmark sources: $bench_dir: $(describe "$bench_dir" .)"
echo "- workload: $requests requests per run in total (split over the threads), seed $seed, -O2; median of $runs runs, round-robin"
echo "- akeso runs with \`AKESO_OPTIONS=$akeso_options\`"
echo
echo "| threads | keys | variant | median loop s (wall) | × native (wall) | median loop s (CPU) | × native (CPU) | CPU s min-max | Mreq/s (wall) |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for cfg in "${configs[@]}"; do
  read -r t k <<<"$cfg"
  c=$(cname "$t" "$k")
  wn=$(median <"$work/native.$c.wall")
  cn=$(median <"$work/native.$c.cpu")
  for v in "${variants[@]}"; do
    [ -s "$work/$v.$c.wall" ] || { echo "| $t | $k | $v | failed | | | | | |"; continue; }
    w=$(median <"$work/$v.$c.wall")
    cpu=$(median <"$work/$v.$c.cpu")
    range=$(sort -g "$work/$v.$c.cpu" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }')
    awk -v t="$t" -v k="$k" -v v="$v" -v w="$w" -v c="$cpu" -v wn="$wn" -v cn="$cn" -v r="$range" -v n="$requests" \
      'BEGIN { b = v == "akeso" ? "**" : ""; printf "| %s | %s | %s | %.3f | %s%.2f%s | %.3f | %s%.2f%s | %s | %.2f |\n", t, k, v, w, b, w / wn, b, c, b, c / cn, b, r, n / w / 1e6 }'
  done
done
echo
echo "Throughput with 2 threads relative to 1 thread (wall-clock medians; 2.00 would be perfect scaling):"
echo
echo "| keys | native | akeso | akeso-noann |"
echo "|---:|---:|---:|---:|"
for k in 16384 64; do
  row="| $k"
  for v in "${variants[@]}"; do
    row="$row | $(awk -v a="$(median <"$work/$v.t1-k$k.wall")" -v b="$(median <"$work/$v.t2-k$k.wall")" 'BEGIN { printf "%.2f", a / b }')"
  done
  echo "$row |"
done
echo
echo "akeso's counters (\`AKESO_OPTIONS=stats=1\`, one more run of each configuration, set-up included):"
echo
echo "| threads | keys | loads / request | stores / request | logged words / request | dependence edges / 1000 requests | waited to commit / 1000 requests |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for cfg in "${configs[@]}"; do
  read -r t k <<<"$cfg"
  read -r l s d w e q _ < <(stats_of "${base_args[@]}" --threads "$t" --keys "$k")
  awk -v t="$t" -v k="$k" -v l="$l" -v s="$s" -v d="$d" -v w="$w" -v e="$e" -v q="$q" \
    'BEGIN { printf "| %s | %s | %.1f | %.1f | %.1f | %.2f | %.2f |\n", t, k, l / d, s / d, w / d, e * 1000 / d, q * 1000 / d }'
done
echo
echo "Rollback check (invariants after every 7th request of each thread faulted; under akeso the faulting requests are rolled back, natively they are skipped):"
echo
echo "| command | native | akeso | akeso run s | faulted | collateral (returned -1) | rolled back as dependents (stats) |"
echo "|---|---|---|---:|---:|---:|---:|"
printf '%s\n' "${fault_rows[@]}"
echo
echo "With akeso's default limits (\`AKESO_OPTIONS=verbosity=0\`), \`shrbench --threads 2 --keys 64\` aborted in $limit_aborts of $limit_runs runs${limit_msg:+ (\"$limit_msg\")}."
echo
echo "Checks: 1-thread checksums $([ "$mismatches" = 0 ] && echo "equal native's in every run" || echo "**DIFFER in $mismatches variant(s)**"); $([ "$failures" = 0 ] && echo "invariants held in every run" || echo "**$failures run(s) failed or broke an invariant**")."
[ "$failures" = 0 ] && [ "$mismatches" = 0 ]
