#!/usr/bin/env bash
# workload.sh KV_CLIENT [CLIENTS] [COMMANDS] - drive one kvd campaign trial.
#
# Run by akeso-campaign (--workload) in the trial directory, next to a kvd
# started on ./kvd.sock.  CLIENTS concurrent connections each send COMMANDS
# requests (SET, MSET, DEL, GET) on keys of their own, every value unique,
# and keep their transcripts (client-N.log: each "> COMMAND" followed by
# the reply).  Then the table is dumped (dump.log) and the daemon told to
# shut down; both are retried while an injected fault rolls them back.
# oracle.py checks the dump against the acknowledged requests.
set -u
client=$1
clients=${2:-3}
commands=${3:-80}
sock=./kvd.sock

for _ in $(seq 1 200); do
  [ -S "$sock" ] && break
  sleep 0.05
done
[ -S "$sock" ] || { echo "workload: kvd never created $sock" >&2; exit 1; }

for c in $(seq 1 "$clients"); do
  for i in $(seq 1 "$commands"); do
    key="c$c-k$(( (i * 7) % 10 ))"
    case $(( i % 8 )) in
      0) echo "DEL $key" ;;
      1) echo "GET $key" ;;
      2) echo "MSET $key v$c-$i-a c$c-k$(( (i + 3) % 10 )) v$c-$i-b" ;;
      *) echo "SET $key v$c-$i" ;;
    esac
  done >"commands-$c.in"
  "$client" "$sock" <"commands-$c.in" >"client-$c.log" 2>&1 &
done
wait

# A request the injection rolled back answers "ERR request rolled back":
# ask again until it goes through.
retry() {
  local out=$1
  shift
  for _ in $(seq 1 50); do
    "$client" "$sock" "$@" >"$out" 2>&1 || return 1
    grep -q '^ERR request rolled back' "$out" || return 0
  done
  return 1
}
retry dump.log DUMP || { echo "workload: DUMP failed" >&2; exit 1; }
retry shutdown.log SHUTDOWN || { echo "workload: SHUTDOWN failed" >&2; exit 1; }
exit 0
