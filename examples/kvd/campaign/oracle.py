#!/usr/bin/env python3
"""oracle.py - check one kvd campaign trial (akeso-campaign --oracle).

Replays the acknowledged requests of every client transcript (workload.sh)
against a model of the table and compares the model with the final DUMP:
no acknowledged write may be lost, and no write whose request failed (a
rollback answers "ERR request rolled back") may be visible.  Clients use
disjoint keys, so each client's order is the order that matters.
Exit status 0 if the dump matches, 1 with the differences otherwise.
"""
import glob
import os
import sys


def replay(transcript, model):
    lines = open(transcript, encoding="utf-8", errors="replace").read().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("> "):
            i += 1
            continue
        words = lines[i][2:].split()
        reply = lines[i + 1] if i + 1 < len(lines) else ""
        i += 2
        if not words:
            continue
        op = words[0]
        if op == "SET" and reply == "OK":
            model[words[1]] = words[2]
        elif op == "MSET" and reply.startswith("OK "):
            for k in range(1, len(words) - 1, 2):
                model[words[k]] = words[k + 1]
        elif op == "DEL" and reply in ("DELETED", "NOT_FOUND"):
            model.pop(words[1], None)
        elif reply.startswith("ERR") and reply != "ERR request rolled back":
            raise SystemExit(f"oracle: {transcript}: unexpected reply to {op}: {reply}")


def main():
    trial = os.environ.get("AKESO_TRIAL_DIR", ".")
    model = {}
    transcripts = sorted(glob.glob(os.path.join(trial, "client-*.log")))
    if not transcripts:
        print("oracle: no client transcripts in", trial)
        return 1
    for t in transcripts:
        replay(t, model)
    dump = {}
    in_dump = False
    for line in open(os.path.join(trial, "dump.log"), encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line == "> DUMP":
            in_dump = True
        elif line == "END":
            in_dump = False
        elif in_dump and "=" in line:
            key, value = line.split("=", 1)
            dump[key] = value
    problems = []
    for key in sorted(set(model) | set(dump)):
        want, got = model.get(key), dump.get(key)
        if want == got:
            continue
        if got is None:
            problems.append(f"{key}: acknowledged value {want} lost")
        elif want is None:
            problems.append(f"{key}: holds {got}, which no acknowledged request wrote")
        else:
            problems.append(f"{key}: holds {got}, the last acknowledged value is {want}")
    for p in problems:
        print("oracle:", p)
    print(f"oracle: {len(model)} keys checked, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
