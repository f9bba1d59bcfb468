/* DPLL by hand-coded backtracking: the limit for examples/sat/dpll.c.
 * The same search (unit propagation by scanning all clauses, branch on the
 * first unassigned literal of the first open clause, that literal true
 * first, stop at the first model) with a hand-written trail, so both make
 * the same extension steps: 2 per branching point.  The DIMACS reader is
 * the example's own (examples/sat/dimacs.h).
 *
 *   dpll_hand FILE.cnf
 *
 * Prints "s SATISFIABLE" and the model or "s UNSATISFIABLE" as dpll.c
 * does, then "c extensions E seconds T" (T: the search alone, CPU).
 * Exit status 10 or 20.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "dimacs.h"

static struct cnf F;
static signed char *value;
static int *trail, ntrail;
static long extensions;

static int lit_value(int lit) { return lit > 0 ? value[lit] : -value[-lit]; }

static void make_true(int lit) {
  value[lit > 0 ? lit : -lit] = lit > 0 ? 1 : -1;
  trail[ntrail++] = lit > 0 ? lit : -lit;
}

/* dpll.c's propagation; a conflict returns CONFLICT (never a literal)
 * instead of failing an extension. */
#define CONFLICT INT_MIN
#define DPLL_CONFLICT return CONFLICT
#include "propagate.h"

static void undo_to(int mark) {
  while (ntrail > mark)
    value[trail[--ntrail]] = 0;
}

/* 1 when a model has been found (the assignment is then kept). */
static int dpll(void) {
  int lit = propagate();
  if (lit == CONFLICT || lit == 0)
    return lit == 0;
  int mark = ntrail;
  for (int b = 0; b < 2; b++) {
    extensions++;
    make_true(b ? -lit : lit);
    if (dpll())
      return 1;
    undo_to(mark);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: dpll_hand FILE.cnf\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    fprintf(stderr, "dpll_hand: cannot open '%s': %s\n", argv[1], strerror(errno));
    return 2;
  }
  if (cnf_read(in, argv[1], &F) < 0)
    return 2;
  value = calloc((size_t)F.nvars + 1, 1);
  trail = malloc(((size_t)F.nvars + 1) * sizeof(int));
  if (!value || !trail)
    return fprintf(stderr, "dpll_hand: out of memory\n"), 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  int sat = dpll();
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  printf("s %s\n", sat ? "SATISFIABLE" : "UNSATISFIABLE");
  if (sat)
    cnf_print_model(value, F.nvars);
  printf("c extensions %ld seconds %.6f\n", extensions,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return sat ? 10 : 20;
}
