//===- guess.cpp - the entry points of akeso/guess.h ----------------------===//
//
// System-level backtracking (../shared/seeds/001_*, docs/backtracking.md)
// is one API over several backends (guess_backend.h).  This file owns the
// extern "C" entry points the macros of akeso/guess.h call: it checks
// misuse that is the same whatever keeps the partial candidates (a call
// outside an exploration, n <= 0, a nested exploration, an unknown
// strategy or backend), picks the backend when an exploration starts and
// forwards every later call of that exploration to it.
//
// The entry points compute the program's stack pointer (CallerSP) here,
// from their own frame: a hook cannot, since it runs one frame deeper.
//
//===----------------------------------------------------------------------===//
#include "akeso/guess.h"
#include "guess_backend.h"
#include "options.h"
#include "report.h"

using namespace akeso::rt;

namespace {

// The stack pointer of the caller of the function this expands in (x86-64:
// just above our return address and saved frame pointer).
#define GUESS_CALLER_SP()                                                      \
  (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) + 2 * sizeof(void *))

// The backend of this thread's exploration (the last one started).
__thread const GuessBackend *Running = nullptr;

bool exploring() { return Running && Running->Active(); }

// The backend named by the strategy's backend bits, else by
// AKESO_OPTIONS guess_backend=, else the undo log.
const GuessBackend *selectBackend(int Strategy) {
  GuessBackendKind Kind;
  switch (Strategy & ~AKESO_STRATEGY_MASK) {
  case 0:
    Kind = GuessBackendKind(Flags.GuessBackend);
    break;
  case AKESO_BACKEND_UNDO:
    Kind = GuessBackendKind::Undo;
    break;
  case AKESO_BACKEND_FORK:
    Kind = GuessBackendKind::Fork;
    break;
  case AKESO_BACKEND_PAGES:
    Kind = GuessBackendKind::Pages;
    break;
  default:
    if (Strategy & ~(AKESO_STRATEGY_MASK | AKESO_BACKEND_UNDO |
                     AKESO_BACKEND_FORK | AKESO_BACKEND_PAGES))
      fatal("akeso_guess_strategy(%#x): not a strategy: bits %#x are neither "
            "a strategy nor an AKESO_BACKEND_*",
            unsigned(Strategy),
            unsigned(Strategy) & ~unsigned(AKESO_STRATEGY_MASK |
                                           AKESO_BACKEND_UNDO |
                                           AKESO_BACKEND_FORK |
                                           AKESO_BACKEND_PAGES));
    fatal("akeso_guess_strategy(%#x): not a strategy: at most one of "
          "AKESO_BACKEND_UNDO, AKESO_BACKEND_FORK and AKESO_BACKEND_PAGES may "
          "be OR'd into AKESO_DFS, AKESO_BFS or AKESO_ASTAR",
          unsigned(Strategy));
  }
  switch (Kind) {
  case GuessBackendKind::Fork:
    return forkGuessBackend();
  case GuessBackendKind::Pages:
    return pagesGuessBackend();
  case GuessBackendKind::Undo:
    break;
  }
  return undoGuessBackend();
}

} // namespace

extern "C" {

void *akeso__guess_begin(int Strategy, void *Frame) {
  if (exploring())
    fatal("akeso_guess_strategy: an exploration is already running on this "
          "thread; nested explorations are not supported");
  const int Which = Strategy & AKESO_STRATEGY_MASK;
  if (Strategy < 0 ||
      (Which != AKESO_DFS && Which != AKESO_BFS && Which != AKESO_ASTAR))
    fatal("akeso_guess_strategy(%#x): not a strategy (AKESO_DFS, AKESO_BFS "
          "or AKESO_ASTAR, optionally OR'd with one AKESO_BACKEND_*)",
          unsigned(Strategy));
  Running = selectBackend(Strategy);
  return Running->Begin(Which, reinterpret_cast<uintptr_t>(Frame),
                        GUESS_CALLER_SP());
}

int akeso__guess_entered(int Landed) {
  return Running->Entered(Landed, GUESS_CALLER_SP());
}

static void *push(int N, const long *Distances, const char *File,
                  unsigned Line, uintptr_t CallerSP) {
  if (!exploring())
    fatal("akeso_guess(%d) at %s:%u outside an exploration: call it inside "
          "`if (akeso_guess_strategy(...)) { ... }`",
          N, File, Line);
  if (N <= 0)
    fatal("akeso_guess(%d) at %s:%u: the number of extensions must be "
          "positive",
          N, File, Line);
  return Running->Push(N, Distances, File, Line, CallerSP);
}

void *akeso__guess_push(int N, const char *File, unsigned Line) {
  return push(N, nullptr, File, Line, GUESS_CALLER_SP());
}

void *akeso__guess_push_dist(int N, const long *Distances, const char *File,
                             unsigned Line) {
  return push(N, Distances, File, Line, GUESS_CALLER_SP());
}

int akeso__guess_landed(int Landed) {
  return Running->Landed(Landed, GUESS_CALLER_SP());
}

void akeso_guess_fail(void) {
  if (!exploring())
    fatal("akeso_guess_fail() outside an exploration: call it inside "
          "`if (akeso_guess_strategy(...)) { ... }`");
  Running->Fail();
  __builtin_unreachable(); // a backend's Fail never returns
}

void akeso_guess_stop(void) {
  if (!exploring())
    fatal("akeso_guess_stop() outside an exploration");
  Running->Stop();
}

int akeso_guess_active(void) { return exploring() ? 1 : 0; }

} // extern "C"
