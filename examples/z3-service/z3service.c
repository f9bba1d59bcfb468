/* An incremental-solver service over Z3, a prebuilt library (libz3, no
 * recompilation, no akeso pass), with page snapshots: solve p once, keep
 * that state as a snapshot (the guess point), then answer p ∧ q_i for
 * every query q_i from it.  Each query runs as one extension of the guess
 * point: Z3 asserts q_i and checks, the answer is printed, and failing the
 * extension gives Z3 back exactly the state it had after solving p (its
 * heap, learned clauses, caches), whatever Z3 did inside.
 *
 * The baseline is Z3's own incremental interface on the same sequence:
 * solve p, then push; assert q_i; check; pop for each query.
 *
 *   gcc -O2 -Iinclude examples/z3-service/z3service.c \
 *       build/lib/libakeso_rt.a -lz3 -o z3service
 *   AKESO_OPTIONS=guess_backend=pages ./z3service snapshot [rounds]  # snapshots
 *   ./z3service pushpop [rounds]                             # push/pop
 *   ./z3service leak       # leaves q23 asserted: the final check says WRONG
 *
 * rounds (default 1) repeats the query set to time a steady state; the
 * answers are printed for the first round only.
 *
 * Both print "p: sat" then "q<i>: sat|unsat" per query (a sat answer's
 * model is checked against p and q_i), then the time per query on stderr.
 */
#include <akeso/guess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <z3.h>

#define N 12       /* variables x0..x11 */
#define QUERIES 24 /* the fixed query set */

static Z3_context ctx;
static Z3_solver solver;
static char decls[1024];

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static Z3_ast_vector parse(const char *body) {
  static char text[8192];
  snprintf(text, sizeof text, "%s %s", decls, body);
  return Z3_parse_smtlib2_string(ctx, text, 0, 0, 0, 0, 0, 0);
}

static void assert_all(const char *body) {
  Z3_ast_vector v = parse(body);
  Z3_ast_vector_inc_ref(ctx, v);
  for (unsigned i = 0; i < Z3_ast_vector_size(ctx, v); i++)
    Z3_solver_assert(ctx, solver, Z3_ast_vector_get(ctx, v, i));
  Z3_ast_vector_dec_ref(ctx, v);
}

/* How many formulas the solver holds: p's, plus any q_i a query leaked. */
static unsigned assertion_count(void) {
  Z3_ast_vector v = Z3_solver_get_assertions(ctx, solver);
  Z3_ast_vector_inc_ref(ctx, v);
  unsigned n = Z3_ast_vector_size(ctx, v);
  Z3_ast_vector_dec_ref(ctx, v);
  return n;
}

/* p: a small scheduling puzzle over integers (distinct start times,
 * precedence chains, a sum bound), enough for Z3 to build up state. */
static void build_p(char *p, size_t len) {
  size_t n = 0;
  n += snprintf(p + n, len - n, "(assert (distinct");
  for (int i = 0; i < N; i++)
    n += snprintf(p + n, len - n, " x%d", i);
  n += snprintf(p + n, len - n, "))");
  for (int i = 0; i < N; i++)
    n += snprintf(p + n, len - n, "(assert (and (>= x%d 0) (< x%d %d)))", i,
                  i, N + 2);
  for (int i = 0; i + 3 < N; i += 2)
    n += snprintf(p + n, len - n, "(assert (< (+ x%d 2) x%d))", i, i + 3);
  n += snprintf(p + n, len - n, "(assert (<= (+");
  for (int i = 0; i < N; i++)
    n += snprintf(p + n, len - n, " x%d", i);
  n += snprintf(p + n, len - n, ") %d))", N * (N + 1) / 2 + 4);
}

/* q_i: a pinned value and an ordering, some satisfiable, some not. */
static void build_q(int i, char *q, size_t len) {
  int a = i % N, b = (i * 5 + 3) % N, v = (i * 7) % (N + 2);
  snprintf(q, len, "(assert (= x%d %d)) (assert (%s x%d x%d))", a, v,
           i % 3 ? "<" : ">", a, b);
}

/* Prints the answer to the current assertions.  Models may differ
 * between the two modes (push/pop carries state from earlier queries), so
 * a sat answer is checked instead: the model must satisfy every assertion
 * (p and q_i). */
static void answer(int i) {
  Z3_lbool r = Z3_solver_check(ctx, solver);
  if (r != Z3_L_TRUE) {
    printf("q%d: %s\n", i, r == Z3_L_FALSE ? "unsat" : "unknown");
    return;
  }
  Z3_model m = Z3_solver_get_model(ctx, solver);
  Z3_model_inc_ref(ctx, m);
  Z3_ast_vector as = Z3_solver_get_assertions(ctx, solver);
  Z3_ast_vector_inc_ref(ctx, as);
  int ok = 1;
  for (unsigned k = 0; k < Z3_ast_vector_size(ctx, as); k++) {
    Z3_ast v;
    ok &= Z3_model_eval(ctx, m, Z3_ast_vector_get(ctx, as, k), 1, &v) &&
          Z3_get_bool_value(ctx, v) == Z3_L_TRUE;
  }
  Z3_ast_vector_dec_ref(ctx, as);
  Z3_model_dec_ref(ctx, m);
  printf("q%d: sat, model %s\n", i, ok ? "satisfies p and q" : "WRONG");
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "snapshot";
  int rounds = argc > 2 ? atoi(argv[2]) : 1;
  size_t n = 0;
  for (int i = 0; i < N; i++)
    n += snprintf(decls + n, sizeof decls - n, "(declare-const x%d Int)", i);
  Z3_config cfg = Z3_mk_config();
  ctx = Z3_mk_context(cfg);
  Z3_del_config(cfg);
  /* The plain SMT solver: the default one runs tactics under timers,
   * whose worker thread would be a second thread during the service. */
  solver = Z3_mk_simple_solver(ctx);
  Z3_solver_inc_ref(ctx, solver);
  static char p[8192], q[QUERIES][256];
  build_p(p, sizeof p);
  for (int i = 0; i < QUERIES; i++)
    build_q(i, q[i], sizeof q[i]);
  /* The queries' text is parsed before the service starts: parsing is
   * the same work for both modes. */
  assert_all(p);
  Z3_lbool r = Z3_solver_check(ctx, solver);
  printf("p: %s\n", r == Z3_L_TRUE ? "sat" : "unsat");
  fflush(stdout);
  const unsigned p_count = assertion_count();
  double t0 = now_us();
  if (!strcmp(mode, "leak")) {
    /* A self-test of the final check: q23 (satisfiable with p) asserted
     * for good, as a backtrack that failed to undo it would leave it. */
    assert_all(q[QUERIES - 1]);
  } else if (!strcmp(mode, "pushpop")) {
    for (int k = 0; k < rounds; k++)
      for (int i = 0; i < QUERIES; i++) {
        Z3_solver_push(ctx, solver);
        assert_all(q[i]);
        if (k == 0)
          answer(i);
        else
          Z3_solver_check(ctx, solver);
        Z3_solver_pop(ctx, solver, 1);
      }
  } else {
    /* One exploration: its start (tracking Z3's memory, copying it once)
     * is paid once; every query of every round is an extension of the
     * snapshot taken after p. */
    if (akeso_guess_strategy(AKESO_DFS)) {
      int k = akeso_guess(QUERIES * rounds);
      int i = k % QUERIES;
      assert_all(q[i]);
      if (k < QUERIES)
        answer(i);
      else
        Z3_solver_check(ctx, solver);
      akeso_guess_fail();
    }
  }
  double t1 = now_us();
  fprintf(stderr, "%s: %.1f us per query (%d queries x %d rounds)\n", mode,
          (t1 - t0) / (QUERIES * rounds), QUERIES, rounds);
  /* Z3 is as it was after p: it holds p's assertions and no q_i (a
   * leaked q_i would change the count, even a satisfiable one such as
   * q23), and it answers p again. */
  const unsigned count = assertion_count();
  printf("assertions after the queries: %s\n",
         count == p_count ? "as after p" : "WRONG: a query's leaked");
  r = Z3_solver_check(ctx, solver);
  printf("p again: %s\n", r == Z3_L_TRUE ? "sat" : "unsat");
  Z3_solver_dec_ref(ctx, solver);
  Z3_del_context(ctx);
  return 0;
}
