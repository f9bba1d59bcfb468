//===- guess_undo.cpp - guess / fail over the undo log (the Undo backend) ===//
//
// The undo-log backend of system-level backtracking (issue #5): DFS with
// choice points, BFS and A* by deltas (see docs/backtracking.md).
// guess.cpp checks misuse and calls the hooks at the end of this file.
//
// An exploration is a root basic domain begun by akeso_guess_strategy.  A
// guess point with n > 1 extensions is a choice point: a nested basic domain
// (so every instrumented write of the current extension is logged in its
// suffix of the thread's undo log), the jmp_buf of the setjmp in the
// caller's frame, and a copy of the stack from the caller's stack pointer
// (Lo) up to the frame of the function that started the exploration (Hi):
// non-escaping locals are not instrumented, so the copy is what restores
// them.
//
// akeso_guess_fail rolls back the innermost domain on this thread alone
// (local_rollback.h: words newest first, allocations of the extension
// released, frees cancelled), keeps it on the stack emptied, and jumps to
// the choice point's landing pad; there the Landed hook copies the stack
// back and the next extension runs in the same domain.  When the local
// rollback declines (another domain may be involved), the engine's own
// rollback (raiseFault) pops the domain instead and the Landed hook begins
// a new one with the same landing pad; so does a fault in the extension.
// The last extension of a choice point runs without a domain of its own:
// the choice point is popped when it starts, and its writes belong to the
// parent's extension.  So the innermost domain always belongs to the
// newest choice point that still has extensions left, or to the root: a
// failure with no choice point left rolls back the root and
// akeso_guess_strategy evaluates to 0.
//
// The runtime's frames must not overlap the stack the rollback restores:
// akeso_guess_fail moves its stack pointer below the target's Lo first.
//
// BFS and A* keep only the root domain, which holds the writes of the
// running extension step alone.  A guess point ends the step: the step's
// log suffix becomes a partial candidate, its delta against the candidate
// the step started from (guess_candidates.h), and its extensions (the
// candidate and a choice) join the frontier (guess_frontier.h).  A failure
// rolls the step back (memory is then the candidate it started from) and
// lands at the root's pad.  Either way the next extension of the frontier
// runs: memory is switched to its candidate through the tree (undo to the
// common ancestor, redo down), and its guess point's landing pad is
// reached with the candidate's stack copy and the extension's choice.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "akeso/guess.h"
#include "domains.h"
#include "guess_backend.h"
#include "guess_candidates.h"
#include "guess_frontier.h"
#include "local_rollback.h"
#include "options.h"
#include "report.h"

#include <alloca.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace akeso::rt;
namespace platform = akeso::platform;

namespace {

struct ChoicePoint {
  platform::JumpBuffer Pad;
  int N = 0;
  int Current = 0;
  uintptr_t Lo = 0;
  size_t CopyOffset = 0;
  const char *File = nullptr;
  unsigned Line = 0;
};

constexpr size_t MaxChoicePoints = size_t(1) << 16;
constexpr size_t ArenaBytes = size_t(1) << 32; // address space, touched lazily

struct Exploration {
  bool Active = false;
  int Strategy = AKESO_DFS;
  unsigned RootIndex = 0; // index of the root domain in the domain stack
  uintptr_t Hi = 0, RootLo = 0;
  ChoicePoint *Points = nullptr;
  size_t Count = 0;
  char *Arena = nullptr;
  size_t ArenaUsed = 0;
  // Between akeso__guess_push and akeso__guess_landed(0).
  bool PushedTrivial = false;
  platform::JumpBuffer *PendingPad = nullptr;
  // The runtime's options while a guess rollback runs (silent, recover).
  unsigned SavedVerbosity = 0;
  FaultPolicy SavedPolicy = FaultPolicy::Recover;
  bool FlagsOverridden = false;
  // Set by akeso_guess_fail before its rollback: a landing without it is a
  // recovery event (akeso_fault, a caught signal) in the extension.
  bool Failing = false;
  // The rollback kept the domain on the stack, emptied (local_rollback.h):
  // the landing must not begin another one.
  bool Kept = false;
  platform::JumpBuffer Scratch;
  int TrivialChoice = 0;
  // BFS and A*: the root's landing pad, the frontier of pending extensions
  // (records: a PartialCandidate pointer and a choice), the candidate the
  // running step started from (null: the exploration's start; the step
  // holds a reference to it) and its choice.
  platform::JumpBuffer RootPad;
  GuessFrontier Frontier;
  PartialCandidate *Current = nullptr;
  int Choice = 0;
  // The guess point between akeso__guess_push and akeso__guess_landed(0):
  // its extensions and their distances (A*).
  int PendingN = 0;
  const char *PendingFile = nullptr;
  unsigned PendingLine = 0;
  long *Distances = nullptr;
  size_t DistanceCapacity = 0;
  // Every extension has been explored: memory is back at the start.
  bool Exhausted = false;
  // A*: the distance of the extension being run (inherited by the
  // extensions of a plain akeso_guess).
  long PathPriority = 0;
  // Statistics: extensions started and failures.
  unsigned long long Extensions = 0, Failures = 0;
};

__thread Exploration *ThisThread = nullptr;

// BFS, A*: an element of the frontier: the extensions Next..End-1 of a
// partial candidate, all of the same distance (a guess point's extensions
// of equal distance share one element: ~12x less frontier for n-queens).
struct PendingExtensions {
  PartialCandidate *Candidate;
  int Next, End;
};

Exploration *state() {
  if (__builtin_expect(ThisThread == nullptr, 0)) {
    void *Mem = platform::reserveZeroed(sizeof(Exploration));
    void *Points =
        platform::reserveZeroed(MaxChoicePoints * sizeof(ChoicePoint));
    void *Arena = platform::reserveZeroed(ArenaBytes);
    if (!Mem || !Points || !Arena)
      fatal("akeso_guess: cannot reserve memory for an exploration");
    Exploration *X = static_cast<Exploration *>(Mem); // zeroed: all defaults
    X->Points = static_cast<ChoicePoint *>(Points);
    X->Arena = static_cast<char *>(Arena);
    ThisThread = X;
  }
  return ThisThread;
}

// The domain-stack depth while the current extension runs: the root and
// one domain per choice point.
void checkDepth(ThreadState *T, Exploration *X, const char *What) {
  const unsigned Expected = X->RootIndex + 1 + unsigned(X->Count);
  if (T->Depth != Expected)
    fatal("%s inside a recovery domain begun after the innermost guess point "
          "(domain depth %u, expected %u): guess points and failures must be "
          "in the exploration's own code, not inside a domain it opened",
          What, T->Depth, Expected);
}

void saveStack(Exploration *X, uintptr_t Lo, size_t &Offset) {
  if (Lo >= X->Hi)
    fatal("akeso_guess: a guess point above the frame that started the "
          "exploration (did that function return?)");
  const size_t Size = X->Hi - Lo;
  if (X->ArenaUsed + Size > ArenaBytes)
    fatal("akeso_guess: stack snapshots exceed %zu bytes", ArenaBytes);
  Offset = X->ArenaUsed;
  memcpy(X->Arena + Offset, reinterpret_cast<void *>(Lo), Size);
  X->ArenaUsed += Size;
}

void restoreStack(Exploration *X, uintptr_t Lo, size_t Offset) {
  memcpy(reinterpret_cast<void *>(Lo), X->Arena + Offset, X->Hi - Lo);
}

void restoreFlags(Exploration *X) {
  if (!X->FlagsOverridden)
    return;
  Flags.Verbosity = X->SavedVerbosity;
  Flags.OnFault = X->SavedPolicy;
  X->FlagsOverridden = false;
}

// Output of the extension step so far, written before its state is left
// (stdio is not undone).  The common case is nothing to write: look at the
// buffer first (what glibc's __fpending does, without the call) rather
// than take the lock.
void flushOutput() {
  if (stdout->_IO_write_ptr != stdout->_IO_write_base)
    fflush(stdout);
  if (stderr->_IO_write_ptr != stderr->_IO_write_base)
    fflush(stderr);
}

// Drops the pending extensions of BFS and A* and the references they hold.
void dropFrontier(ThreadState *T, Exploration *X) {
  PendingExtensions P;
  size_t Bytes;
  long Distance;
  while (X->Frontier.pop(&P, sizeof(P), Bytes, Distance))
    for (int I = P.Next; I < P.End; ++I)
      releaseCandidate(T, P.Candidate);
}

void finish(Exploration *X) {
  X->Frontier.release();
  free(X->Distances); // the program's heap: give it back with the rest
  X->Distances = nullptr;
  X->DistanceCapacity = 0;
  X->Current = nullptr;
  X->Exhausted = false;
  X->PathPriority = 0;
  X->Active = false;
  X->Count = 0;
  X->ArenaUsed = 0;
  X->PendingPad = nullptr;
  X->PushedTrivial = false;
}

// BFS, A*: memory holds the state of candidate From (null: the start) and
// the root domain is on the stack with nothing logged.  Runs the next
// pending extension: switches memory to its candidate and jumps to that
// guess point's landing pad (akeso__guess_landed restores the stack and
// returns the choice).  With none left, memory goes back to the start and
// the root's landing pad is reached with Exhausted set.
[[noreturn]] void nextExtension(ThreadState *T, Exploration *X,
                                PartialCandidate *From) {
  PartialCandidate *Step = X->Current; // the ended step's reference
  PendingExtensions P;
  size_t Bytes;
  long Distance;
  if (X->Frontier.peek(&P, sizeof(P), Bytes, Distance)) {
    // Take its first extension; the others keep their place.
    PartialCandidate *To = P.Candidate;
    X->Choice = P.Next++;
    if (P.Next < P.End)
      X->Frontier.rewriteNext(&P, sizeof(P));
    else
      X->Frontier.pop(&P, sizeof(P), Bytes, Distance);
    switchCandidate(From, To, T->StackLow, X->Hi);
    X->Current = To; // the frontier's reference becomes the step's
    X->PathPriority = Distance;
    releaseCandidate(T, Step);
    ++X->Extensions;
    loadCandidatePad(To, X->Scratch);
    platform::jumpToLandingPad(X->Scratch);
  }
  switchCandidate(From, nullptr, T->StackLow, X->Hi);
  X->Current = nullptr;
  releaseCandidate(T, Step);
  discardEmptyInnermostDomain(T);
  X->Exhausted = true;
  platform::jumpToLandingPad(X->RootPad);
}

// Rolls back the innermost domain and jumps to its landing pad; runs on a
// stack below every frame the rollback or the landing restores.
[[noreturn]] __attribute__((noinline)) void rollBack(ThreadState *T,
                                                      Exploration *X) {
  if (resetInnermostDomain(T)) {
    X->Kept = true;
    platform::jumpToLandingPad(T->Stack[T->Depth - 1].LandingPad);
  }
  X->SavedVerbosity = Flags.Verbosity;
  X->SavedPolicy = Flags.OnFault;
  X->FlagsOverridden = true;
  Flags.Verbosity = 0;
  Flags.OnFault = FaultPolicy::Recover;
  FaultSite Site;
  Site.Reason = "akeso_guess_fail";
  raiseFault(T, Site);
}

// Discards the current extension: rolls back the innermost domain (DFS:
// the newest choice point's, or the root's; BFS: the root's).
[[noreturn]] __attribute__((noinline)) void failNow(ThreadState *T,
                                                     Exploration *X) {
  flushOutput();
  ++X->Failures;
  uintptr_t Lo = X->RootLo;
  if (X->Count) {
    ChoicePoint &P = X->Points[X->Count - 1];
    ++P.Current;
    Lo = P.Lo;
  }
  // Run the rollback below every frame it or the landing pad restores.
  constexpr uintptr_t Gap = 512;
  const uintptr_t SP = platform::stackPointer();
  if (SP + Gap > Lo) {
    volatile char *Below = static_cast<char *>(alloca(SP + Gap - Lo + 64));
    Below[0] = 0;
  }
  X->Failing = true;
  rollBack(T, X);
}

void *undoBegin(int Strategy, uintptr_t Frame, uintptr_t CallerSP) {
  // Without instrumented code the undo log stays empty and every extension
  // would see its siblings' writes: wrong answers, silently.
  if (&__akeso_instrumented == nullptr)
    fatal("akeso_guess_strategy: guess_backend=undo needs a program compiled "
          "with akeso-cc (the undo log only holds what instrumented code "
          "writes), and nothing in this one was; use guess_backend=pages "
          "(AKESO_OPTIONS, or AKESO_BACKEND_PAGES in the strategy) for code "
          "built by a plain compiler");
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  finish(X);
  X->Active = true;
  X->Strategy = Strategy;
  X->Hi = Frame;
  X->RootIndex = T->Depth;
  X->Extensions = X->Failures = 0;
  if (Strategy != AKESO_DFS)
    X->Frontier.reset(Strategy == AKESO_BFS ? "BFS" : "A*");
  platform::JumpBuffer &Pad =
      beginDomain(T, AKESO_BASIC, "akeso_guess_strategy", nullptr, CallerSP);
  X->PendingPad = &Pad;
  return &Pad;
}

int undoEntered(int Landed, uintptr_t CallerSP) {
  Exploration *X = state();
  if (Landed == 0) {
    X->RootLo = CallerSP;
    size_t Offset;
    saveStack(X, X->RootLo, Offset);
    memcpy(&X->RootPad, X->PendingPad, sizeof(X->RootPad));
    X->PendingPad = nullptr;
    X->Extensions = 1;
    return 1;
  }
  // The root was rolled back (by a failure or by a fault in the extension
  // that runs in the root domain: either way that extension is discarded).
  restoreFlags(X);
  if (!X->Failing)
    flushOutput(); // a recovery event: the extension's output so far
  X->Failing = false;
  const bool Kept = X->Kept;
  X->Kept = false;
  if (X->Strategy != AKESO_DFS) {
    if (X->Exhausted) {
      restoreStack(X, X->RootLo, 0);
      finish(X);
      return 0;
    }
    // Memory is the candidate the discarded step started from.  The
    // engine's rollback (unlike the local one) popped the root domain: the
    // next step needs another.
    ThreadState *T = enterRuntime();
    if (!Kept) {
      platform::JumpBuffer &Pad = beginDomain(T, AKESO_BASIC,
                                              "akeso_guess_strategy", nullptr,
                                              X->RootLo);
      memcpy(&Pad, &X->RootPad, sizeof(Pad));
    }
    nextExtension(T, X, X->Current);
  }
  restoreStack(X, X->RootLo, 0);
  // Every extension has been explored.  A root domain kept by the rollback
  // is empty, and goes as a rolled-back one would.
  if (Kept)
    discardEmptyInnermostDomain(enterRuntime());
  finish(X);
  return 0;
}

void *undoPush(int N, const long *Distances, const char *File, unsigned Line,
               uintptr_t CallerSP) {
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  checkDepth(T, X, "akeso_guess");
  if (X->Strategy != AKESO_DFS) {
    // A new partial candidate, made once the setjmp has filled Scratch
    // (akeso__guess_landed(0)).  BFS: every distance equal, so creation
    // order.
    if (size_t(N) > X->DistanceCapacity) {
      void *More = realloc(X->Distances, size_t(N) * sizeof(long));
      if (!More)
        fatal("akeso_guess(%d) at %s:%u: out of memory for the distances", N,
              File, Line);
      X->Distances = static_cast<long *>(More);
      X->DistanceCapacity = size_t(N);
    }
    const bool AStar = X->Strategy == AKESO_ASTAR;
    for (int I = 0; I < N; ++I)
      X->Distances[I] = !AStar ? 0 : Distances ? Distances[I] : X->PathPriority;
    X->PendingN = N;
    X->PendingFile = File;
    X->PendingLine = Line;
    return &X->Scratch;
  }
  if (N == 1) {
    X->PushedTrivial = true;
    X->TrivialChoice = 0;
    return &X->Scratch;
  }
  if (X->Count == MaxChoicePoints)
    fatal("akeso_guess at %s:%u: more than %zu nested guess points", File,
          Line, MaxChoicePoints);
  ChoicePoint &P = X->Points[X->Count++];
  P.N = N;
  P.Current = 0;
  P.File = File;
  P.Line = Line;
  platform::JumpBuffer &Pad =
      beginDomain(T, AKESO_BASIC, "akeso_guess", nullptr, CallerSP);
  X->PendingPad = &Pad;
  return &Pad;
}

// BFS, A*: the guess point's setjmp returned Landed.  0: the step that
// reached it ends, as a new partial candidate whose extensions join the
// frontier.  Otherwise one of its extensions starts.
int candidateLanded(Exploration *X, int Landed, uintptr_t CallerSP) {
  if (Landed) {
    restoreCandidateStack(X->Current, X->Hi);
    return X->Choice;
  }
  flushOutput();
  ThreadState *T = enterRuntime();
  PartialCandidate *C = createCandidate(
      T, T->Stack[X->RootIndex].LogStart, X->Current, unsigned(X->PendingN),
      CallerSP, X->Hi, X->Scratch, X->PendingFile, X->PendingLine);
  for (int I = 0, J; I < X->PendingN; I = J) {
    for (J = I + 1; J < X->PendingN && X->Distances[J] == X->Distances[I];)
      ++J;
    const PendingExtensions P{C, I, J};
    X->Frontier.push(&P, sizeof(P), nullptr, 0, X->Distances[I]);
  }
  nextExtension(T, X, C);
}

int undoLanded(int Landed, uintptr_t CallerSP) {
  Exploration *X = state();
  if (X->Strategy != AKESO_DFS)
    return candidateLanded(X, Landed, CallerSP);
  if (Landed == 0) {
    ++X->Extensions;
    if (X->PushedTrivial) {
      X->PushedTrivial = false;
      return X->TrivialChoice;
    }
    ChoicePoint &P = X->Points[X->Count - 1];
    memcpy(&P.Pad, X->PendingPad, sizeof(P.Pad));
    X->PendingPad = nullptr;
    P.Lo = CallerSP;
    saveStack(X, P.Lo, P.CopyOffset);
    return 0;
  }
  // The previous extension of the newest choice point was rolled back.
  ++X->Extensions;
  ChoicePoint &P = X->Points[X->Count - 1];
  if (!X->Failing) {
    // A recovery event in the extension (akeso_fault, a caught signal)
    // rolled its domain back: it is discarded like a failed one.
    fflush(stdout);
    ++P.Current;
  }
  X->Failing = false;
  const bool Kept = X->Kept;
  X->Kept = false;
  restoreStack(X, P.Lo, P.CopyOffset);
  const int Choice = P.Current;
  restoreFlags(X);
  if (Choice == P.N - 1) {
    // The last extension runs in the parent's domain (a kept domain is
    // empty, and goes as a rolled-back one would).
    if (Kept)
      discardEmptyInnermostDomain(enterRuntime());
    X->ArenaUsed = P.CopyOffset;
    --X->Count;
  } else if (!Kept) {
    platform::JumpBuffer &Pad = beginDomain(enterRuntime(), AKESO_BASIC,
                                            "akeso_guess", nullptr, P.Lo);
    memcpy(&Pad, &P.Pad, sizeof(Pad));
  }
  return Choice;
}

[[noreturn]] void undoFail() {
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  checkDepth(T, X, "akeso_guess_fail()");
  failNow(T, X);
}

void undoStop() {
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  checkDepth(T, X, "akeso_guess_stop()");
  if (X->Strategy != AKESO_DFS) {
    // The path to the current extension is kept: its candidates' frees
    // run (oldest first, before the stopping step's own, which commit with
    // the root), the other candidates die with the frontier.
    commitCandidatePath(T, X->Current);
    dropFrontier(T, X);
    releaseCandidate(T, X->Current);
    X->Current = nullptr;
  }
  for (size_t I = 0; I <= X->Count; ++I)
    endDomain(T);
  finish(X);
}

bool undoActive() { return ThisThread && ThisThread->Active; }

const GuessBackend UndoBackend = {"undo",     undoBegin, undoEntered,
                                  undoPush,   undoLanded, undoFail,
                                  undoStop,   undoActive};

} // namespace

const GuessBackend *akeso::rt::undoGuessBackend() { return &UndoBackend; }
