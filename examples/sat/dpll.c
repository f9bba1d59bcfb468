/* A naive DPLL SAT solver with system-level backtracking, in the
 * single-path style of Figure 1 of ../shared/seeds/001_*: the program
 * propagates unit clauses, then "guesses" the value of one variable with
 * akeso_guess(2), and repeats; a clause whose literals are all false fails
 * the extension.  There is no trail and no undo code: the runtime restores
 * the assignment when an extension fails.
 *
 *   akeso-cc -O2 examples/sat/dpll.c -o dpll
 *   ./dpll examples/sat/cnf/php-4-3.cnf        (or - for standard input)
 *
 * Output as in the SAT competition: comment lines "c ...", then
 * "s SATISFIABLE" and the model as "v ... 0" lines, or "s UNSATISFIABLE".
 * Exit status 10 (satisfiable), 20 (unsatisfiable), 2 (bad input or usage).
 *
 *   -bfs    breadth first: a model with the fewest guesses is found first
 *   -astar  best first: the branch that leaves fewer clauses open first
 *
 * The search (bench/guess/dpll_hand.c makes exactly the same one, with a
 * hand-written trail):
 *  - unit propagation to a fixpoint by scanning all clauses (naive: no
 *    watched literals, no pure-literal rule, no learning, no restarts);
 *  - branch on the first unassigned literal of the first clause that is
 *    not satisfied yet; extension 0 makes that literal true, extension 1
 *    false;
 *  - every clause satisfied: a model (variables still unassigned occur in
 *    no open clause and are printed false).
 */
#include <akeso/guess.h>
#include <stdio.h>
#include <string.h>

#include "dimacs.h"

struct cnf F;           /* read-only once parsed */
signed char *value;     /* value[v]: 1 true, -1 false, 0 unassigned */

static int lit_value(int lit) { return lit > 0 ? value[lit] : -value[-lit]; }

static void make_true(int lit) { value[lit > 0 ? lit : -lit] = lit > 0 ? 1 : -1; }

/* Unit propagation: a clause with every literal false fails the
 * extension (backtrack). */
#define DPLL_CONFLICT akeso_guess_fail()
#include "propagate.h"

/* A*'s estimate for making LIT true: the clauses left open (not yet
 * satisfied) afterwards, before propagation.  Greedy best first: every
 * model satisfies every clause, so the cost so far says nothing. */
static long open_after(int lit) {
  long open = 0;
  for (int k = 0; k < F.nclauses; k++) {
    int sat = 0;
    for (int i = F.start[k]; i < F.start[k + 1] && !sat; i++)
      sat = F.lits[i] == lit || lit_value(F.lits[i]) > 0;
    open += !sat;
  }
  return open;
}

static void dpll(akeso_strategy strategy) {
  int lit;
  while ((lit = propagate())) {
    int b;
    if (strategy == AKESO_ASTAR) {
      long dist[2] = {open_after(lit), open_after(-lit)};
      b = akeso_guess_dist(2, dist);
    } else {
      b = akeso_guess(2); /* a little magic */
    }
    make_true(b ? -lit : lit);
  }
}

int main(int argc, char **argv) {
  const char *path = NULL;
  akeso_strategy strategy = AKESO_DFS;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-bfs"))
      strategy = AKESO_BFS;
    else if (!strcmp(argv[i], "-astar"))
      strategy = AKESO_ASTAR;
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "dpll: unknown option '%s'\n", argv[i]);
      return 2;
    } else if (path) {
      fprintf(stderr, "dpll: more than one input ('%s', '%s')\n", path, argv[i]);
      return 2;
    } else
      path = argv[i];
  }
  if (!path) {
    fprintf(stderr, "usage: dpll [-bfs|-astar] FILE.cnf|-\n");
    return 2;
  }
  FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if (!in) {
    fprintf(stderr, "dpll: cannot open '%s': %s\n", path, strerror(errno));
    return 2;
  }
  if (cnf_read(in, strcmp(path, "-") ? path : "<stdin>", &F) < 0)
    return 2;
  value = calloc((size_t)F.nvars + 1, 1);
  if (!value) {
    fprintf(stderr, "dpll: out of memory\n");
    return 2;
  }
  printf("c akeso dpll: %d variables, %d clauses\n", F.nvars, F.nclauses);

  if (akeso_guess_strategy(strategy)) {
    dpll(strategy);
    akeso_guess_stop(); /* the first model is the answer */
    printf("s SATISFIABLE\n");
    cnf_print_model(value, F.nvars);
    return 10;
  }
  printf("s UNSATISFIABLE\n");
  return 20;
}
