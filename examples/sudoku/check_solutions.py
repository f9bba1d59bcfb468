#!/usr/bin/env python3
"""check_solutions.py PUZZLE OUTPUT - check the grids sudoku printed.

PUZZLE is a puzzle file (or the 81 cells) as sudoku.c reads it; OUTPUT is
sudoku's output (9 lines of digits per solution, each followed by a line
"solution").  Every grid must be a complete, valid sudoku that keeps the
puzzle's givens, and no grid may appear twice.  Prints "N valid distinct
solutions" and exits 0, or names the first problem and exits 1.  (The
program's count of "solution" lines is checked against the grids too, so a
solution printed without its grid is caught.)
"""
import os
import sys


def cells(text):
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for ch in line:
            if ch in " \t\r|+-":
                continue
            out.append(0 if ch == "." else int(ch))
    return out


def valid(grid):
    units = [[r * 9 + c for c in range(9)] for r in range(9)]
    units += [[r * 9 + c for r in range(9)] for c in range(9)]
    units += [[(b // 3 * 3 + i // 3) * 9 + b % 3 * 3 + i % 3 for i in range(9)]
              for b in range(9)]
    return all(sorted(grid[i] for i in u) == list(range(1, 10)) for u in units)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check_solutions.py PUZZLE OUTPUT")
    arg = sys.argv[1]
    givens = cells(open(arg).read() if os.path.exists(arg) else arg)
    if len(givens) != 81:
        sys.exit("check_solutions: the puzzle has %d cells" % len(givens))
    rows, grids, markers = [], [], 0
    for n, line in enumerate(open(sys.argv[2]), 1):
        line = line.strip()
        if len(line) == 9 and line.isdigit():
            rows.append(line)
        elif line == "solution":
            markers += 1
            if len(rows) != 9:
                sys.exit("check_solutions: line %d: 'solution' after %d grid rows, "
                         "expected 9" % (n, len(rows)))
            grids.append([int(ch) for ch in "".join(rows)])
            rows = []
    if rows:
        sys.exit("check_solutions: %d grid rows without a 'solution' line" % len(rows))
    seen = set()
    for k, g in enumerate(grids, 1):
        if not valid(g):
            sys.exit("check_solutions: solution %d is not a valid sudoku" % k)
        if any(x and x != y for x, y in zip(givens, g)):
            sys.exit("check_solutions: solution %d changes a given" % k)
        if tuple(g) in seen:
            sys.exit("check_solutions: solution %d was printed before" % k)
        seen.add(tuple(g))
    print("%d valid distinct solutions" % len(grids))


if __name__ == "__main__":
    main()
