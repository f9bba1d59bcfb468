"""Prints akeso-campaign's JSON as lines FileCheck can match, and checks
that it is consistent (counts add up, seeds follow the base seed).

  python3 trials.py FILE            one line per trial, then the summary
  python3 trials.py --outcomes FILE seed, outcome and fault schedule only
                                    (what must not change between two runs
                                    with the same seed)
"""
import json
import sys


def main():
    args = sys.argv[1:]
    outcomes_only = args[0] == "--outcomes"
    with open(args[-1], encoding="utf-8") as f:
        doc = json.load(f)
    campaign, summary, trials = doc["campaign"], doc["summary"], doc["trials"]

    for i, t in enumerate(trials):
        assert t["index"] == i, t
        assert t["seed"] == campaign["seed"] + i, t
        schedule = ",".join(
            "#%d@%s:%s" % (f["number"], f.get("after_blocks", "?"), f["fate"])
            for f in t["faults"])
        if outcomes_only:
            print("seed %d %s [%s]" % (t["seed"], t["outcome"], schedule))
            continue
        e = t["exit"]
        how = ("signal=%s" % e["signal_name"] if e["signal"] is not None
               else "status=%s" % e["status"])
        print("trial %d seed %d: %s; %s; faults %d recovered %d collateral %d"
              " recoveries %d; watchdog %s; workload %s; oracle %s; [%s]" % (
                  t["index"], t["seed"], t["outcome"], how,
                  t["faults_injected"], t["faults_recovered"],
                  t["collateral"], t["recoveries"],
                  str(e["watchdog"]).lower(), t["workload_exit"],
                  t["oracle_exit"], schedule))
    if outcomes_only:
        return

    counts = summary["outcomes"]
    assert sum(o["trials"] for o in counts.values()) == summary["trials_run"]
    assert summary["trials_run"] == len(trials)
    assert summary["all"]["faults_injected"] == sum(
        t["faults_injected"] for t in trials)
    assert summary["collateral"] == sum(t["collateral"] for t in trials)
    for name, o in counts.items():
        if o["trials"]:
            print("summary %s: %d" % (name, o["trials"]))
    s = summary["survival"]
    print("survival %d of %d" % (s["survived"], s["trials"]))
    f = summary["faults"]
    print("faults injected %d recovered %d fatal %d unreported %d" % (
        f["injected"], f["recovered"], f["fatal"], f["unreported"]))


main()
