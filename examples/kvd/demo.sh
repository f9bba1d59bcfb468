#!/usr/bin/env bash
# demo.sh BUILD_DIR - build kvd with akeso and watch a poisoned request roll back.
#
# Compiles kvd and kv-client with BUILD_DIR/bin/akeso-cc into a temporary
# directory, starts the daemon, loads it from concurrent clients, sends an
# MSET that updates several keys and then faults, and checks that the table
# afterwards is exactly what it was before, that concurrent readers never saw
# a half-applied update, and that the daemon keeps serving.  Exits non-zero
# if anything is not as expected.
#
# Environment:
#   KVD_CC    compiler command to use instead of BUILD_DIR/bin/akeso-cc (word
#             split; the annotation file is then passed as AKESO_ANNOTATIONS)
#   KVD_KEEP  if set, keep the temporary directory
set -u -o pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD_DIR=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kvd-demo.XXXXXX") || exit 1
SOCK=$WORK/kvd.sock
DAEMON_PID=

cleanup() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -KILL "$DAEMON_PID" 2>/dev/null
    wait "$DAEMON_PID" 2>/dev/null
  fi
  if [ -n "${KVD_KEEP:-}" ]; then
    echo "(kept $WORK)"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

say() { printf '\n=== %s\n' "$*"; }
indent() { sed 's/^/    /'; }
show_daemon_log() {
  if [ -s "$WORK/kvd.stderr" ]; then
    echo "--- daemon stderr:"
    indent <"$WORK/kvd.stderr"
  fi
}
fail() {
  printf '\nDEMO FAILED: %s\n' "$*" >&2
  show_daemon_log >&2
  exit 1
}
daemon_alive() { [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; }
# kv COMMAND... : one client connection running the commands (transcript on
# stdout); fails the demo if the client fails.
kv() {
  timeout 20 "$WORK/kv-client" "$SOCK" "$@" ||
    { daemon_alive || fail "the daemon died (see its stderr below)"
      fail "kv-client failed running: $*"; }
}
replies() { grep -v '^> '; }            # a transcript without the echo lines
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }   # STATS key=value fields

# ---------------------------------------------------------------- build
if [ -n "${KVD_CC:-}" ]; then
  read -r -a CC <<<"$KVD_CC"
  ANNOTATE=(env "AKESO_ANNOTATIONS=$HERE/kvd.yaml")
  ANNOTATE_FLAG=()
else
  CC=("$BUILD_DIR/bin/akeso-cc")
  [ -x "${CC[0]}" ] || fail "no akeso-cc at ${CC[0]} (build akeso first)"
  ANNOTATE=()
  ANNOTATE_FLAG=("--akeso-annotations=$HERE/kvd.yaml")
fi
say "building kvd and kv-client with ${CC[*]}"
echo "    annotations: $HERE/kvd.yaml (handle_request: basic domain, error -1)"
timeout 300 ${ANNOTATE[@]+"${ANNOTATE[@]}"} "${CC[@]}" \
  ${ANNOTATE_FLAG[@]+"${ANNOTATE_FLAG[@]}"} -O2 -pthread \
  "$HERE/kvd.c" -o "$WORK/kvd" || fail "compiling kvd failed"
timeout 300 "${CC[@]}" -O2 "$HERE/kv-client.c" -o "$WORK/kv-client" ||
  fail "compiling kv-client failed"

# ---------------------------------------------------------------- start
say "starting kvd with 4 worker threads (AKESO_OPTIONS=verbosity=1:stats=1)"
AKESO_OPTIONS=verbosity=1:stats=1 "$WORK/kvd" -t 4 "$SOCK" \
  2>"$WORK/kvd.stderr" &
DAEMON_PID=$!
for _ in $(seq 100); do
  if [ -S "$SOCK" ] &&
    timeout 5 "$WORK/kv-client" "$SOCK" COUNT >/dev/null 2>&1; then
    break
  fi
  daemon_alive || fail "kvd exited during startup"
  sleep 0.1
done
[ -S "$SOCK" ] || fail "kvd did not create $SOCK within 10 seconds"
echo "    kvd (pid $DAEMON_PID) is listening on $SOCK"

# ---------------------------------------------------------------- load
say "loading the table from 3 concurrent clients"
{ for i in $(seq -w 1 20); do echo "SET user:$i name-$i"; done; } \
  >"$WORK/load-a.in"
{ printf 'MSET'
  for k in color size mode level limit owner region tier zone quota; do
    printf ' cfg:%s %s-1' "$k" "$k"
  done
  echo; } >"$WORK/load-b.in"
{ for i in $(seq -w 1 15); do echo "SET item:$i stock-$i"; done
  for i in 13 14 15; do echo "DEL item:$i"; done; } >"$WORK/load-c.in"
pids=()
for c in a b c; do
  timeout 20 "$WORK/kv-client" "$SOCK" <"$WORK/load-$c.in" \
    >"$WORK/load-$c.out" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a loading client failed"; done
for c in a b c; do
  n_in=$(grep -c . "$WORK/load-$c.in")
  n_ok=$(replies <"$WORK/load-$c.out" | grep -cE '^(OK|DELETED)')
  [ "$n_ok" = "$n_in" ] ||
    fail "client $c: $n_ok of $n_in requests succeeded: $(cat "$WORK/load-$c.out")"
  echo "    client $c: $n_in request(s), all answered OK"
done
echo "    client b sent: $(cut -c1-70 "$WORK/load-b.in")..."

# ---------------------------------------------------------------- before
say "state before the poisoned request"
kv DIGEST STATS >"$WORK/before.txt"
kv DUMP >"$WORK/before-dump.txt"
indent <"$WORK/before.txt"
BEFORE_DIGEST=$(replies <"$WORK/before.txt" | grep '^DIGEST ')
BEFORE_STATS=$(replies <"$WORK/before.txt" | grep '^STATS ')
[[ "$BEFORE_DIGEST" =~ ^DIGEST\ [0-9a-f]{16}\ 42$ ]] ||
  fail "expected 42 keys after loading, got: $BEFORE_DIGEST"
replies <"$WORK/before-dump.txt" | head -n 5 | indent
echo "    ... ($(replies <"$WORK/before-dump.txt" | grep -c =) keys in the DUMP)"

# ---------------------------------------------------------------- poison
POISON="MSET user:01 alice user:02 bob fresh:1 new-1 fresh:2 new-2 cfg:color red user:03 POISON user:04 never"
say "sending the poisoned MSET while 2 other clients keep reading"
echo "    $POISON"
echo "    (it replaces 3 values and inserts 2 new keys, then faults at POISON)"
printf 'DIGEST\nGET user:01\n%.0s' $(seq 300) >"$WORK/reader.in"
pids=()
for r in 1 2; do
  timeout 30 "$WORK/kv-client" "$SOCK" <"$WORK/reader.in" \
    >"$WORK/reader-$r.out" &
  pids+=($!)
done
kv "GET user:01" "$POISON" "GET user:01" "GET fresh:1" COUNT \
  >"$WORK/poison.txt"
for p in "${pids[@]}"; do wait "$p" || fail "a reading client failed"; done
daemon_alive || fail "the daemon died while handling the poisoned request"
indent <"$WORK/poison.txt"
mapfile -t R < <(replies <"$WORK/poison.txt")
[ "${#R[@]}" -eq 5 ] || fail "expected 5 replies, got ${#R[@]}"
[ "${R[0]}" = "VALUE name-01" ] || fail "user:01 was '${R[0]}' before the poison"
[ "${R[1]}" = "ERR request rolled back" ] ||
  fail "the poisoned MSET was answered '${R[1]}', not 'ERR request rolled back'"
echo "    poisoned request answered: ${R[1]}"
[ "${R[2]}" = "VALUE name-01" ] || fail "user:01 is '${R[2]}' after the rollback"
[ "${R[3]}" = "NOT_FOUND" ] || fail "fresh:1 exists after the rollback: ${R[3]}"
[ "${R[4]}" = "COUNT 42" ] || fail "key count after the rollback: ${R[4]}"
echo "    same connection still served: user:01 is name-01 again, fresh:1 is gone"

for r in 1 2; do
  seen=$(replies <"$WORK/reader-$r.out" | sort | uniq -c | sed 's/^ *//')
  expect=$(printf '300 %s\n300 VALUE name-01' "$BEFORE_DIGEST")
  [ "$seen" = "$expect" ] ||
    fail "reader $r saw something other than the state before: $seen"
done
echo "    both readers: 600 replies each, every one showed the state before"

# ---------------------------------------------------------------- after
say "state after the rollback"
kv DIGEST STATS >"$WORK/after.txt"
kv DUMP >"$WORK/after-dump.txt"
indent <"$WORK/after.txt"
AFTER_DIGEST=$(replies <"$WORK/after.txt" | grep '^DIGEST ')
AFTER_STATS=$(replies <"$WORK/after.txt" | grep '^STATS ')
[ "$AFTER_DIGEST" = "$BEFORE_DIGEST" ] ||
  fail "digest changed: before '$BEFORE_DIGEST', after '$AFTER_DIGEST'"
diff -u "$WORK/before-dump.txt" "$WORK/after-dump.txt" ||
  fail "DUMP differs after the rollback (diff above)"
for f in keys total_updates last_key; do
  b=$(field "$f" <<<"$BEFORE_STATS")
  a=$(field "$f" <<<"$AFTER_STATS")
  if [ -z "$b" ] || [ "$a" != "$b" ]; then
    fail "STATS $f was '$b', is now '$a'"
  fi
done
[ "$(field rolled_back <<<"$AFTER_STATS")" = 1 ] ||
  fail "STATS does not count exactly one rolled-back request"
echo "    state after: identical (same DIGEST, byte-identical DUMP,"
echo "    total_updates=$(field total_updates <<<"$AFTER_STATS") and" \
  "last_key=$(field last_key <<<"$AFTER_STATS") untouched by the 5 undone updates)"

# ---------------------------------------------------------------- serving
say "the daemon still serves"
kv "SET after:poison works" "GET after:poison" COUNT DIGEST >"$WORK/later.txt"
indent <"$WORK/later.txt"
mapfile -t R < <(replies <"$WORK/later.txt")
if [ "${R[0]:-}" != OK ] || [ "${R[1]:-}" != "VALUE works" ] ||
  [ "${R[2]:-}" != "COUNT 43" ]; then
  fail "unexpected replies after the rollback"
fi
[ "${R[3]:-}" != "$BEFORE_DIGEST" ] || fail "the digest did not change after SET"

# ---------------------------------------------------------------- shutdown
say "SHUTDOWN"
kv SHUTDOWN >"$WORK/shutdown.txt"
indent <"$WORK/shutdown.txt"
[ "$(replies <"$WORK/shutdown.txt")" = "OK shutting down" ] ||
  fail "SHUTDOWN was not acknowledged"
status=
for _ in $(seq 100); do
  if ! daemon_alive; then
    wait "$DAEMON_PID"
    status=$?
    break
  fi
  sleep 0.1
done
[ -n "$status" ] || fail "kvd did not exit within 10 seconds of SHUTDOWN"
DAEMON_PID=
[ "$status" -eq 0 ] || fail "kvd exited with status $status"
[ ! -e "$SOCK" ] || fail "kvd left its socket $SOCK behind"
echo "    kvd exited with status 0 and removed its socket"

say "daemon stderr (kvd's messages and the akeso runtime's rollback report)"
indent <"$WORK/kvd.stderr"
grep -q 'warning: reply buffer not restored' "$WORK/kvd.stderr" &&
  fail "the reply buffer on the worker's stack was not restored"
grep -q 'kvd: request rolled back (MSET' "$WORK/kvd.stderr" ||
  fail "kvd did not report the rolled-back request"

say "demo passed: the poisoned request was undone completely and kvd kept serving"
