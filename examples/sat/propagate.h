/*===- examples/sat/propagate.h - DPLL's unit propagation ---*- C -*-===*
 *
 * Unit propagation to a fixpoint, shared by the single-path solver
 * (examples/sat/dpll.c) and the hand-coded one it is measured against
 * (bench/guess/dpll_hand.c), so that both make exactly the same search.
 * The includer provides the formula F (dimacs.h), lit_value(lit) (1 true,
 * -1 false, 0 unassigned), make_true(lit), and DPLL_CONFLICT: what a
 * clause whose every literal is false does (fail the extension, or return
 * a sentinel).  Returns the first unassigned literal of the first open
 * clause, or 0 when every clause is satisfied.
 *
 *===----------------------------------------------------------------------===*/
#ifndef AKESO_EXAMPLES_SAT_PROPAGATE_H
#define AKESO_EXAMPLES_SAT_PROPAGATE_H

static int propagate(void) {
  for (;;) {
    int changed = 0, branch = 0;
    for (int k = 0; k < F.nclauses; k++) {
      int unassigned = 0, last = 0, first = 0, sat = 0;
      for (int i = F.start[k]; i < F.start[k + 1]; i++) {
        int v = lit_value(F.lits[i]);
        if (v > 0) {
          sat = 1;
          break;
        }
        if (v == 0) {
          unassigned++;
          last = F.lits[i];
          if (!first)
            first = last;
        }
      }
      if (sat)
        continue;
      if (unassigned == 0)
        DPLL_CONFLICT;
      if (unassigned == 1) {
        make_true(last);
        changed = 1;
      } else if (!branch)
        branch = first;
    }
    if (!changed)
      return branch;
  }
}

#endif
