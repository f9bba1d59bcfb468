#!/usr/bin/env python3
"""gen3sat.py - write the CNF instances of examples/sat/cnf in DIMACS.

  gen3sat.py rand3 VARS CLAUSES SEED   random 3-SAT: every clause has 3
                                       distinct variables, each negated with
                                       probability 1/2 (the fixed-clause-length
                                       model; CLAUSES = 4.26 * VARS is the
                                       hard region)
  gen3sat.py php HOLES                 pigeonhole PHP(HOLES+1, HOLES):
                                       HOLES+1 pigeons in HOLES holes,
                                       unsatisfiable, hard for resolution

The random generator is an xorshift64* of its own, so an instance depends
only on the arguments, not on the Python version.  Output on stdout.
"""
import sys


class XorShift64Star:
    def __init__(self, seed):
        # splitmix64 of the seed, so that seeds 1, 2, 3 start far apart
        z = (seed + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        self.s = (z ^ (z >> 31)) or 1

    def next(self):
        s = self.s
        s ^= s >> 12
        s ^= (s << 25) & (2**64 - 1)
        s ^= s >> 27
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & (2**64 - 1)

    def below(self, n):
        # rejection sampling: uniform in 0..n-1
        limit = (2**64 // n) * n
        while True:
            x = self.next()
            if x < limit:
                return x % n


def rand3(nvars, nclauses, seed):
    rng = XorShift64Star(seed)
    print("c random 3-SAT, %d variables, %d clauses (ratio %.2f), seed %d, "
          "examples/sat/gen3sat.py" % (nvars, nclauses, nclauses / nvars, seed))
    print("p cnf %d %d" % (nvars, nclauses))
    for _ in range(nclauses):
        vs = []
        while len(vs) < 3:
            v = rng.below(nvars) + 1
            if v not in vs:
                vs.append(v)
        print(" ".join(str(-v if rng.below(2) else v) for v in vs), 0)


def php(holes):
    pigeons = holes + 1
    var = lambda p, h: p * holes + h + 1  # pigeon p sits in hole h
    clauses = [[var(p, h) for h in range(holes)] for p in range(pigeons)]
    clauses += [[-var(p, h), -var(q, h)] for h in range(holes)
                for p in range(pigeons) for q in range(p + 1, pigeons)]
    print("c pigeonhole PHP(%d, %d): unsatisfiable, examples/sat/gen3sat.py"
          % (pigeons, holes))
    print("p cnf %d %d" % (pigeons * holes, len(clauses)))
    for c in clauses:
        print(" ".join(map(str, c)), 0)


def main(argv):
    try:
        if len(argv) == 5 and argv[1] == "rand3":
            n, m, seed = int(argv[2]), int(argv[3]), int(argv[4])
            if n < 3 or m < 0 or seed < 0:
                raise ValueError("need VARS >= 3, CLAUSES >= 0, SEED >= 0")
            return rand3(n, m, seed)
        if len(argv) == 3 and argv[1] == "php":
            holes = int(argv[2])
            if holes < 1:
                raise ValueError("need HOLES >= 1")
            return php(holes)
    except ValueError as e:
        sys.exit("gen3sat.py: %s" % e)
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
