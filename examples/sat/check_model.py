#!/usr/bin/env python3
"""check_model.py [--minisat] FILE.cnf OUTPUT - check a SAT solver's answer.

OUTPUT is in the SAT-competition format ("s SATISFIABLE" or
"s UNSATISFIABLE", the model in "v ... 0" lines).  For SATISFIABLE the model
must give every variable at most one value, end with 0, and make every
clause true (a variable it leaves out counts as false only if that still
satisfies the clause: an unassigned variable satisfies nothing).  Prints the
verdict ("SATISFIABLE, model checked" or "UNSATISFIABLE") and exits 0, or
names the problem and exits 1.

The verdict itself is checked against a comment line "c expect: VERDICT"
in FILE.cnf if there is one (the instances of examples/sat/cnf carry
MiniSat's), and with --minisat also against MiniSat run on FILE.cnf now.
"""
import subprocess
import sys


def expected(path):
    for line in open(path):
        if line.startswith("c expect:"):
            return line.split()[2]
    return None


def minisat_verdict(path):
    try:
        rc = subprocess.run(["minisat", "-verb=0", path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
    except FileNotFoundError:
        sys.exit("check_model: --minisat, but minisat is not installed")
    if rc not in (10, 20):
        sys.exit("check_model: minisat exited with status %d on %s" % (rc, path))
    return "SATISFIABLE" if rc == 10 else "UNSATISFIABLE"


def clauses(path):
    out, cur = [], []
    for line in open(path):
        t = line.split()
        if not t or t[0] in ("c", "p") or t[0].startswith("c"):
            continue
        if t[0] == "%":
            break
        for x in map(int, t):
            if x == 0:
                out.append(cur)
                cur = []
            else:
                cur.append(x)
    return out


def main():
    args = sys.argv[1:]
    use_minisat = args[:1] == ["--minisat"]
    if use_minisat:
        args = args[1:]
    if len(args) != 2:
        sys.exit("usage: check_model.py [--minisat] FILE.cnf OUTPUT")
    cnf, output = args
    status, model, ended = None, {}, False
    for n, line in enumerate(open(output), 1):
        t = line.split()
        if not t:
            continue
        if t[0] == "s":
            if status:
                sys.exit("check_model: line %d: a second 's' line" % n)
            status = " ".join(t[1:])
        elif t[0] == "v":
            if ended:
                sys.exit("check_model: line %d: 'v' line after the closing 0" % n)
            for x in map(int, t[1:]):
                if x == 0:
                    ended = True
                elif ended:
                    sys.exit("check_model: line %d: literal after the closing 0" % n)
                elif abs(x) in model:
                    sys.exit("check_model: line %d: variable %d assigned twice" % (n, abs(x)))
                else:
                    model[abs(x)] = x > 0
    if status not in ("SATISFIABLE", "UNSATISFIABLE"):
        sys.exit("check_model: no 's SATISFIABLE' or 's UNSATISFIABLE' line")
    want = expected(cnf)
    if want and want != status:
        sys.exit("check_model: %s, but %s says 'c expect: %s'" % (status, cnf, want))
    if use_minisat and minisat_verdict(cnf) != status:
        sys.exit("check_model: %s, but minisat disagrees" % status)
    if status == "UNSATISFIABLE":
        if model:
            sys.exit("check_model: UNSATISFIABLE with a model")
        print("UNSATISFIABLE" + (" (minisat agrees)" if use_minisat else ""))
        return
    if not ended:
        sys.exit("check_model: the model does not end with 0")
    for k, c in enumerate(clauses(cnf), 1):
        if not any(abs(l) in model and model[abs(l)] == (l > 0) for l in c):
            sys.exit("check_model: clause %d (%s) is false under the model"
                     % (k, " ".join(map(str, c))))
    print("SATISFIABLE, model checked" + (" (minisat agrees)" if use_minisat else ""))


if __name__ == "__main__":
    main()
