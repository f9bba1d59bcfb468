//===- guess_undo.cpp - guess / fail over the undo log (the Undo backend) ===//
//
// The undo-log backend of system-level backtracking (issue #5): DFS with
// choice points, BFS and A* by recomputation (see docs/backtracking.md).
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
// BFS and A* keep only the root domain.  A pending extension is its path
// (choices from the root) in the frontier (guess_frontier.h); to run one,
// the root is rolled back, its landing pad re-entered, and the guesses
// replay the path (stdout to /dev/null meanwhile) until the next guess
// point, whose extensions join the frontier and end the step.
//
//===----------------------------------------------------------------------===//
#include "akeso/guess.h"
#include "domains.h"
#include "guess_backend.h"
#include "guess_frontier.h"
#include "local_rollback.h"
#include "options.h"
#include "report.h"

#include <alloca.h>
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
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
constexpr size_t MaxPath = size_t(1) << 16;      // guesses on one path (BFS)

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
  // BFS and A* by recomputation: the root's landing pad, the path (choices
  // from the root) of the extension being run, how much of it has been
  // replayed, and the frontier of pending paths.
  platform::JumpBuffer RootPad;
  int *Path = nullptr;
  size_t PathLen = 0, ReplayPos = 0;
  GuessFrontier Frontier;
  // While a path is replayed, stdout goes to /dev/null (that output was
  // written when the path's steps first ran).
  bool Suppressed = false;
  int SavedStdout = -1, DevNull = -1;
  // A*: the distance of the extension being run (inherited by the
  // extensions of a plain akeso_guess).
  long PathPriority = 0;
  // Statistics: extensions started and failures.
  unsigned long long Extensions = 0, Failures = 0;
};

__thread Exploration *ThisThread = nullptr;

Exploration *state() {
  if (__builtin_expect(ThisThread == nullptr, 0)) {
    void *Mem = platform::reserveZeroed(sizeof(Exploration));
    void *Points =
        platform::reserveZeroed(MaxChoicePoints * sizeof(ChoicePoint));
    void *Arena = platform::reserveZeroed(ArenaBytes);
    void *Path = platform::reserveZeroed(MaxPath * sizeof(int));
    if (!Mem || !Points || !Arena || !Path)
      fatal("akeso_guess: cannot reserve memory for an exploration");
    Exploration *X = static_cast<Exploration *>(Mem); // zeroed: all defaults
    X->Points = static_cast<ChoicePoint *>(Points);
    X->Arena = static_cast<char *>(Arena);
    X->Path = static_cast<int *>(Path);
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

void suppressOutput(Exploration *X) {
  if (X->Suppressed)
    return;
  fflush(stdout);
  if (X->SavedStdout < 0)
    X->SavedStdout = dup(1);
  if (X->DevNull < 0)
    X->DevNull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (X->SavedStdout < 0 || X->DevNull < 0)
    fatal("akeso_guess: cannot redirect stdout while replaying a path");
  dup2(X->DevNull, 1);
  X->Suppressed = true;
}

void restoreOutput(Exploration *X) {
  if (!X->Suppressed)
    return;
  fflush(stdout);
  dup2(X->SavedStdout, 1);
  X->Suppressed = false;
}

// The extension Last of the guess point reached by the current path joins
// the frontier.
void enqueue(Exploration *X, int Last, long Distance) {
  X->Frontier.push(X->Path, X->PathLen * sizeof(int), &Last, sizeof(Last),
                   Distance);
}

bool dequeue(Exploration *X) {
  size_t Bytes;
  if (!X->Frontier.pop(X->Path, MaxPath * sizeof(int), Bytes,
                       X->PathPriority))
    return false;
  X->PathLen = Bytes / sizeof(int);
  return true;
}

void finish(Exploration *X) {
  restoreOutput(X);
  if (X->SavedStdout >= 0)
    close(X->SavedStdout);
  if (X->DevNull >= 0)
    close(X->DevNull);
  X->SavedStdout = X->DevNull = -1;
  X->PathLen = X->ReplayPos = 0;
  X->Frontier.release();
  X->PathPriority = 0;
  X->Active = false;
  X->Count = 0;
  X->ArenaUsed = 0;
  X->PendingPad = nullptr;
  X->PushedTrivial = false;
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
  // Output of the extension before its rollback (stdio is not undone).
  // The common case is nothing to write: look at the buffer first (what
  // glibc's __fpending does, without the call) rather than take the lock.
  if (stdout->_IO_write_ptr != stdout->_IO_write_base)
    fflush(stdout);
  if (stderr->_IO_write_ptr != stderr->_IO_write_base)
    fflush(stderr);
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
  restoreStack(X, X->RootLo, 0);
  restoreFlags(X);
  X->Failing = false;
  const bool Kept = X->Kept;
  X->Kept = false;
  if (X->Strategy != AKESO_DFS && dequeue(X)) {
    // BFS, A*: run the next extension of the frontier, replaying its path
    // from the root.
    ++X->Extensions;
    X->ReplayPos = 0;
    if (X->PathLen)
      suppressOutput(X);
    if (!Kept) {
      platform::JumpBuffer &Pad =
          beginDomain(enterRuntime(), AKESO_BASIC, "akeso_guess_strategy",
                      nullptr, X->RootLo);
      memcpy(&Pad, &X->RootPad, sizeof(Pad));
    }
    return 1;
  }
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
    if (X->ReplayPos < X->PathLen) {
      // Replaying the path of the extension being run.
      const int Choice = X->Path[X->ReplayPos++];
      if (Choice >= N)
        fatal("akeso_guess(%d) at %s:%u: replaying a path for BFS/A*, this "
              "guess was made with more extensions before: the program is "
              "not deterministic between its guesses",
              N, File, Line);
      if (X->ReplayPos == X->PathLen)
        restoreOutput(X);
      X->PushedTrivial = true;
      X->TrivialChoice = Choice;
      return &X->Scratch;
    }
    // A new partial candidate: its extensions join the frontier, and this
    // step ends.  BFS: every distance equal, so creation order.
    if (X->PathLen >= MaxPath)
      fatal("akeso_guess at %s:%u: a path of more than %zu guesses", File,
            Line, MaxPath);
    for (int I = 0; I < N; ++I)
      enqueue(X, I,
              X->Strategy == AKESO_ASTAR
                  ? (Distances ? Distances[I] : X->PathPriority)
                  : 0);
    failNow(T, X);
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

int undoLanded(int Landed, uintptr_t CallerSP) {
  Exploration *X = state();
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
  // (BFS: a failure while a path is replayed means the program is not
  // deterministic; the extension is dropped like any failed one.)
  restoreOutput(X);
  failNow(T, X);
}

void undoStop() {
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  checkDepth(T, X, "akeso_guess_stop()");
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
