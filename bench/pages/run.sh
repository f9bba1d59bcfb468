#!/bin/bash
# The page backend's benchmarks (docs/host.md, "Performance"):
#   bash bench/pages/run.sh BUILD_DIR [REPS] [NQUEENS_N]
# 1. guess/fail round trip vs pages written: page backend (comparison and
#    write-protect tracking), undo backend (same source, akeso-cc), fork;
# 2. memory vs snapshots (a chain of nested guess points);
# 3. n-queens (plain gcc) with the page backend.
# Builds into a temporary directory; prints results on stdout, with the
# date and the load average (the machine may be shared: times are noisy).
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
REPS=${2:-200}
NQ=${3:-12}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
gcc -O2 -I"$SRC/include" "$SRC/bench/pages/guessbench.c" \
  "$BUILD/lib/libakeso_rt.a" -o "$TMP/gb-pages"
"$BUILD/bin/akeso-cc" -Wno-backend-plugin -O2 \
  "$SRC/bench/pages/guessbench.c" -o "$TMP/gb-undo"
gcc -O2 -I"$SRC/include" "$SRC/examples/nqueens/nqueens.c" \
  "$BUILD/lib/libakeso_rt.a" -o "$TMP/nqueens"

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== round trip (us) vs pages written K: pages backend, compare"
AKESO_OPTIONS=guess_backend=pages:stats=1 "$TMP/gb-pages" --reps "$REPS" 2>&1
echo "== round trip (us) vs pages written K: pages backend, uffd"
AKESO_OPTIONS=guess_backend=pages:pages_track=uffd:stats=1 \
  "$TMP/gb-pages" --reps "$REPS" 2>&1
echo "== round trip (us) vs pages written K: undo backend (akeso-cc)"
AKESO_OPTIONS=verbosity=0 "$TMP/gb-undo" --reps "$REPS"
echo "== round trip (us) vs pages written K: fork per extension"
"$TMP/gb-pages" --fork --reps "$REPS"
echo "== memory vs snapshots: chain of D guess points x 16 pages each"
for D in 1 10 100 1000; do
  AKESO_OPTIONS=guess_backend=pages:stats=1 "$TMP/gb-pages" --chain "$D" 16 2>&1
done
echo "== n-queens N=$NQ (plain gcc), page backend, compare, DFS"
/usr/bin/time -f "%e s elapsed, %M KiB max RSS" env AKESO_OPTIONS=guess_backend=pages:stats=1 \
  "$TMP/nqueens" "$NQ" -q 2>&1 | grep -v '^solution$'
"$TMP/nqueens" 1 -q >/dev/null # (keeps set -e happy when grep finds none)
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
