/*===- akeso/guess.h - system-level backtracking: guess / fail --*- C -*-===*
 *
 * Write a search as a single path to a solution and let the runtime explore
 * the search space (../shared/seeds/001_*, Figure 1).  Three backends keep
 * the partial candidates (AKESO_BACKEND_* below):
 *  - the undo log of the recovery-domain engine, for code compiled with
 *    akeso-cc: under DFS every guess point is a logged basic domain plus a
 *    copy of the stack between the exploration's start and the guess
 *    point; under BFS and A* a guess point is a partial candidate kept as
 *    its delta against its parent, and the runtime switches between
 *    candidates by undoing and redoing deltas (docs/backtracking.md);
 *  - copy-on-write page snapshots of the whole writable address space,
 *    with the extensions' system calls interposed, for any code: plain
 *    gcc or clang output, prebuilt libraries (docs/host.md);
 *  - fork(), one process per extension: the baseline.
 *
 *   if (akeso_guess_strategy(AKESO_DFS)) {
 *     for (int row = 0; row < n; ++row) {
 *       int col = akeso_guess(n);          // one extension per column
 *       if (!safe(row, col)) akeso_guess_fail();
 *       board[row] = col;                  // invisible to sibling extensions
 *     }
 *     print(board);
 *     akeso_guess_fail();                  // ask for the next solution
 *   }
 *   // here every extension has been explored and the state is as it was
 *   // when akeso_guess_strategy was called
 *
 * With the undo backend (the default) the program must be compiled with
 * the akeso pass (akeso-cc): writes to memory are undone through the undo
 * log, which only instrumented code fills (a program with no instrumented
 * code is refused).  The page and fork backends need no instrumentation.
 *
 * Rules:
 *  - akeso_guess_strategy and akeso_guess are macros around setjmp.  The
 *    function that calls akeso_guess_strategy must not return while the
 *    exploration runs (as for any setjmp).  akeso_guess may be called from
 *    any function the exploration calls.
 *  - One exploration per thread at a time; guess / fail / stop outside one,
 *    n <= 0, a nested strategy, or a guess / fail inside a recovery domain
 *    begun after the innermost guess point, report an error and abort.
 *
 *===----------------------------------------------------------------------===*/
#ifndef AKESO_GUESS_H
#define AKESO_GUESS_H

#include <setjmp.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef AKESO_API
#define AKESO_API __attribute__((visibility("default")))
#endif

typedef enum akeso_strategy {
  AKESO_DFS = 0,  /* depth first: extensions of the newest guess point first */
  AKESO_BFS = 1,  /* breadth first: every extension of a depth, then the next */
  AKESO_ASTAR = 2 /* best first: smallest distance (akeso_guess_dist) */
} akeso_strategy;

/* The backend that keeps the partial candidates, OR'd into the strategy
 * (`akeso_guess_strategy(AKESO_DFS | AKESO_BACKEND_FORK)`).  At most one
 * backend bit; with none, AKESO_OPTIONS guess_backend=undo|fork|pages
 * decides, and without that option the undo log does.
 *  - UNDO:  the recovery-domain engine's undo log plus stack copies (code
 *           compiled with akeso-cc only);
 *  - FORK:  one process per extension (the naive design of the paper's §3,
 *           a baseline); works for any code.  After akeso_guess_stop the
 *           rest of the program runs in the stopping child process, whose
 *           exit status every ancestor, the original process included,
 *           exits with;
 *  - PAGES: copy-on-write page snapshots of the writable address space and
 *           interposed system calls (docs/host.md); works for any code in
 *           a single-threaded process. */
enum {
  AKESO_BACKEND_UNDO = 1 << 8,
  AKESO_BACKEND_FORK = 1 << 9,
  AKESO_BACKEND_PAGES = 1 << 10,
  AKESO_STRATEGY_MASK = 0xff /* the strategy's own bits */
};

/* The entry points behind the macros; not to be called directly. */
AKESO_API void *akeso__guess_begin(int strategy, void *frame);
AKESO_API int akeso__guess_entered(int landed);
AKESO_API void *akeso__guess_push(int n, const char *file, unsigned line);
AKESO_API void *akeso__guess_push_dist(int n, const long *dist,
                                       const char *file, unsigned line);
AKESO_API int akeso__guess_landed(int landed);

/* Starts an exploration with strategy s (a strategy, optionally OR'd with
 * one AKESO_BACKEND_* bit).  Evaluates to non-zero on the exploring path
 * and to 0 once every extension has been explored (then memory, the heap
 * and the calling function's frame are as they were when it was called). */
#define akeso_guess_strategy(s)                                                \
  akeso__guess_entered(                                                        \
      setjmp(*(jmp_buf *)akeso__guess_begin((s), __builtin_frame_address(0))))

/* A guess point with n extensions: evaluates to 0..n-1, one extension at a
 * time.  Writes made after it (globals, heap, stack of the frames between
 * the exploration's start and here) are invisible to its other
 * extensions; allocations made in an extension are released with it. */
#define akeso_guess(n)                                                         \
  akeso__guess_landed(                                                         \
      setjmp(*(jmp_buf *)akeso__guess_push((n), __FILE__, __LINE__)))

/* A guess point whose extension i has distance dist[i] (for A*: the cost
 * so far plus the heuristic's estimate, f = g + h).  Under AKESO_ASTAR the
 * pending extension with the smallest distance runs next (ties: the one
 * created first); the extensions of a plain akeso_guess inherit the
 * distance of the extension that made it.  Under DFS and BFS the distances
 * are ignored.  dist is read before akeso_guess_dist returns. */
#define akeso_guess_dist(n, dist)                                              \
  akeso__guess_landed(setjmp(                                                  \
      *(jmp_buf *)akeso__guess_push_dist((n), (dist), __FILE__, __LINE__)))

/* Discards the current extension and continues with the next one the
 * strategy picks (or ends the exploration).  Flushes stdout and stderr
 * first, so output of an extension appears in exploration order. */
AKESO_API __attribute__((noreturn)) void akeso_guess_fail(void);

/* Ends the exploration keeping the current extension: its writes are
 * committed, pending extensions are dropped, and execution continues after
 * the call as ordinary code (first-solution search). */
AKESO_API void akeso_guess_stop(void);

/* Whether this thread is exploring (0 or 1). */
AKESO_API int akeso_guess_active(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* AKESO_GUESS_H */
