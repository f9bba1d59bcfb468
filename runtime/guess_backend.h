//===- guess_backend.h - how a guess/fail backend plugs into guess.cpp ---===//
//
// akeso/guess.h is one API over several ways of keeping partial candidates
// (../shared/seeds/001_*):
//   - Undo:  the recovery-domain engine's undo log (instrumented code only;
//            runtime/guess_undo.cpp);
//   - Fork:  one process per extension, the naive design of the paper's
//            §3, the baseline (runtime/guess_fork.cpp);
//   - Pages: copy-on-write page snapshots of the whole writable address
//            space, for any code (issue #6; runtime/pages/).
// guess.cpp owns the public entry points: it checks misuse (calls outside
// an exploration, n <= 0, nested explorations), picks the backend when an
// exploration starts (the strategy's backend bits, else AKESO_OPTIONS
// guess_backend=, else Undo) and forwards every call of that exploration
// to it.  The strategy's frontier (one min-heap by distance and creation
// order; BFS is all distances 0) is guess_frontier.h, whose records are
// opaque: partial candidates for undo, paths of choices for fork.
//
// Stack pointers: each hook that gets `CallerSP` receives the stack
// pointer of the program's frame that expanded the macro (the frame whose
// setjmp the returned jmp_buf is for), computed by guess.cpp's entry
// point; a hook must not compute it from its own frame.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_GUESS_BACKEND_H
#define AKESO_RUNTIME_GUESS_BACKEND_H

#include <cstdint>

namespace akeso::rt {

enum class GuessBackendKind : int { Undo = 0, Fork = 1, Pages = 2 };

struct GuessBackend {
  const char *Name; // as in AKESO_OPTIONS guess_backend= and in reports
  // akeso_guess_strategy: Strategy is AKESO_DFS/BFS/ASTAR (backend bits
  // already stripped), Frame the exploring function's frame address.
  // Returns the jmp_buf the macro's setjmp fills.
  void *(*Begin)(int Strategy, uintptr_t Frame, uintptr_t CallerSP);
  // After that setjmp returned Landed; returns what akeso_guess_strategy
  // evaluates to (non-zero: explore; 0: every extension explored).
  int (*Entered)(int Landed, uintptr_t CallerSP);
  // akeso_guess / akeso_guess_dist (Dist may be null; N >= 1 checked).
  void *(*Push)(int N, const long *Dist, const char *File, unsigned Line,
                uintptr_t CallerSP);
  // After the guess's setjmp returned Landed; returns the choice 0..N-1.
  int (*Landed)(int Landed, uintptr_t CallerSP);
  // akeso_guess_fail: discard the current extension; never returns
  // ([[noreturn]] cannot apply to a function pointer).
  void (*Fail)();
  // akeso_guess_stop: keep the current extension, end the exploration.
  void (*Stop)();
  // Whether this thread explores with this backend right now.
  bool (*Active)();
};

// Defined by each backend's file.  A backend that cannot run on this
// machine (the page backend on a kernel without userfaultfd or Syscall User
// Dispatch) says so when an exploration begins.
const GuessBackend *undoGuessBackend();
const GuessBackend *forkGuessBackend();
const GuessBackend *pagesGuessBackend();

} // namespace akeso::rt

#endif // AKESO_RUNTIME_GUESS_BACKEND_H
