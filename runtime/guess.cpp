//===- guess.cpp - guess / fail over undo-log snapshots (akeso/guess.h) ---===//
//
// The undo-log backend of system-level backtracking (issue #5): DFS with
// choice points, BFS and A* by recomputation (see docs/backtracking.md).
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
// akeso_guess_fail rolls back the innermost domain with the engine's own
// rollback (raiseFault: memory words restored newest first, allocations of
// the extension released, frees cancelled), which jumps to the choice
// point's landing pad; there akeso__guess_landed copies the stack back and
// begins a new domain for the next extension, with the same landing pad.
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
// (choices from the root) in a FIFO (BFS) or a min-heap by distance (A*);
// to run one, the root is rolled back, its landing pad re-entered, and the
// guesses replay the path (stdout to /dev/null meanwhile) until the next
// guess point, whose extensions join the frontier and end the step.
//
//===----------------------------------------------------------------------===//
#include "akeso/guess.h"
#include "domains.h"
#include "guess_backend.h"
#include "options.h"
#include "report.h"

#include <alloca.h>
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace akeso::rt;
namespace platform = akeso::platform;

namespace {

// The stack pointer of the caller of the function this expands in (x86-64:
// just above our return address and saved frame pointer).
#define GUESS_CALLER_SP()                                                      \
  (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) + 2 * sizeof(void *))

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
constexpr size_t QueueInts = size_t(1) << 30;    // BFS frontier, in ints
constexpr size_t MaxHeap = size_t(1) << 26;      // A* frontier entries

// A pending extension under A*: its priority (the distance its guess gave
// it), a sequence number (ties run in the order they were created) and
// where its path is stored in Queue.
struct HeapEntry {
  long Priority;
  unsigned long long Seq;
  size_t Offset;
};

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
  platform::JumpBuffer Scratch;
  int TrivialChoice = 0;
  // BFS by recomputation: the root's landing pad, the path (choices from
  // the root) of the extension being run, how much of it has been
  // replayed, and the frontier: a FIFO of paths, each stored as its length
  // followed by its choices, in Queue[QueueHead, QueueTail).
  platform::JumpBuffer RootPad;
  int *Path = nullptr;
  size_t PathLen = 0, ReplayPos = 0;
  int *Queue = nullptr;
  size_t QueueHead = 0, QueueTail = 0;
  // While a path is replayed, stdout goes to /dev/null (that output was
  // written when the path's steps first ran).
  bool Suppressed = false;
  int SavedStdout = -1, DevNull = -1;
  // A*: a binary min-heap of pending extensions, their paths appended to
  // Queue (not reclaimed before the exploration ends), and the priority of
  // the extension being run (inherited by the extensions of a plain
  // akeso_guess).
  HeapEntry *Heap = nullptr;
  size_t HeapSize = 0;
  unsigned long long Seq = 0;
  long PathPriority = 0;
  const long *Distances = nullptr;
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
    void *Queue = platform::reserveZeroed(QueueInts * sizeof(int));
    void *Heap = platform::reserveZeroed(MaxHeap * sizeof(HeapEntry));
    if (!Mem || !Points || !Arena || !Path || !Queue || !Heap)
      fatal("akeso_guess: cannot reserve memory for an exploration");
    Exploration *X = static_cast<Exploration *>(Mem); // zeroed: all defaults
    X->Points = static_cast<ChoicePoint *>(Points);
    X->Arena = static_cast<char *>(Arena);
    X->Path = static_cast<int *>(Path);
    X->Queue = static_cast<int *>(Queue);
    X->Heap = static_cast<HeapEntry *>(Heap);
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

void enqueue(Exploration *X, int Last) {
  const size_t Need = X->PathLen + 2;
  if (X->QueueTail + Need > QueueInts) {
    // Compact: move the live part of the frontier to the front.
    const size_t Live = X->QueueTail - X->QueueHead;
    if (Live + Need > QueueInts)
      fatal("akeso_guess: the BFS frontier exceeds %zu bytes",
            QueueInts * sizeof(int));
    memmove(X->Queue, X->Queue + X->QueueHead, Live * sizeof(int));
    X->QueueHead = 0;
    X->QueueTail = Live;
  }
  int *R = X->Queue + X->QueueTail;
  R[0] = int(X->PathLen + 1);
  memcpy(R + 1, X->Path, X->PathLen * sizeof(int));
  R[X->PathLen + 1] = Last;
  X->QueueTail += Need;
}

bool before(const HeapEntry &A, const HeapEntry &B) {
  return A.Priority < B.Priority || (A.Priority == B.Priority && A.Seq < B.Seq);
}

void heapPush(Exploration *X, int Last, long Priority) {
  const size_t Need = X->PathLen + 2;
  if (X->QueueTail + Need > QueueInts)
    fatal("akeso_guess: the A* paths exceed %zu bytes",
          QueueInts * sizeof(int));
  if (X->HeapSize == MaxHeap)
    fatal("akeso_guess: more than %zu pending A* extensions", MaxHeap);
  int *R = X->Queue + X->QueueTail;
  R[0] = int(X->PathLen + 1);
  memcpy(R + 1, X->Path, X->PathLen * sizeof(int));
  R[X->PathLen + 1] = Last;
  HeapEntry E{Priority, X->Seq++, X->QueueTail};
  X->QueueTail += Need;
  size_t I = X->HeapSize++;
  while (I > 0) {
    size_t Parent = (I - 1) / 2;
    if (!before(E, X->Heap[Parent]))
      break;
    X->Heap[I] = X->Heap[Parent];
    I = Parent;
  }
  X->Heap[I] = E;
}

bool heapPop(Exploration *X) {
  if (X->HeapSize == 0)
    return false;
  const HeapEntry Top = X->Heap[0];
  const HeapEntry Last = X->Heap[--X->HeapSize];
  size_t I = 0;
  for (;;) {
    size_t C = 2 * I + 1;
    if (C >= X->HeapSize)
      break;
    if (C + 1 < X->HeapSize && before(X->Heap[C + 1], X->Heap[C]))
      ++C;
    if (!before(X->Heap[C], Last))
      break;
    X->Heap[I] = X->Heap[C];
    I = C;
  }
  if (X->HeapSize)
    X->Heap[I] = Last;
  const int *R = X->Queue + Top.Offset;
  X->PathLen = size_t(R[0]);
  memcpy(X->Path, R + 1, X->PathLen * sizeof(int));
  X->PathPriority = Top.Priority;
  return true;
}

bool dequeue(Exploration *X) {
  if (X->Strategy == AKESO_ASTAR)
    return heapPop(X);
  if (X->QueueHead == X->QueueTail)
    return false;
  const int *R = X->Queue + X->QueueHead;
  X->PathLen = size_t(R[0]);
  memcpy(X->Path, R + 1, X->PathLen * sizeof(int));
  X->QueueHead += X->PathLen + 1;
  if (X->QueueHead == X->QueueTail)
    X->QueueHead = X->QueueTail = 0;
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
  X->QueueHead = X->QueueTail = 0;
  X->HeapSize = 0;
  X->Seq = 0;
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
  fflush(stdout);
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

// Internal hook until guess.cpp dispatches on GuessBackend (branch
// h-guess): AKESO_GUESS_BACKEND=pages sends every entry point to the page
// backend (runtime/pages).  Read when the first exploration begins, before
// any snapshot exists.
const GuessBackend *pagesHook() {
  static int Use = -1;
  if (__builtin_expect(Use < 0, 0)) {
    const char *V = getenv("AKESO_GUESS_BACKEND");
    Use = V && !strcmp(V, "pages");
  }
  return Use ? pagesGuessBackend() : nullptr;
}

} // namespace

extern "C" {

void *akeso__guess_begin(int Strategy, void *Frame) {
  if (const GuessBackend *B = pagesHook())
    return B->Begin(Strategy, reinterpret_cast<uintptr_t>(Frame),
                    GUESS_CALLER_SP());
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  if (X->Active)
    fatal("akeso_guess_strategy: an exploration is already running on this "
          "thread; nested explorations are not supported");
  if (Strategy != AKESO_DFS && Strategy != AKESO_BFS &&
      Strategy != AKESO_ASTAR)
    fatal("akeso_guess_strategy(%d): not a strategy", Strategy);
  finish(X);
  X->Active = true;
  X->Strategy = Strategy;
  X->Hi = reinterpret_cast<uintptr_t>(Frame);
  X->RootIndex = T->Depth;
  X->Extensions = X->Failures = 0;
  platform::JumpBuffer &Pad = beginDomain(
      T, AKESO_BASIC, "akeso_guess_strategy", nullptr, GUESS_CALLER_SP());
  X->PendingPad = &Pad;
  return &Pad;
}

int akeso__guess_entered(int Landed) {
  if (const GuessBackend *B = pagesHook())
    return B->Entered(Landed, GUESS_CALLER_SP());
  Exploration *X = state();
  if (Landed == 0) {
    X->RootLo = GUESS_CALLER_SP();
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
  if (X->Strategy != AKESO_DFS && dequeue(X)) {
    // BFS, A*: run the next extension of the frontier, replaying its path
    // from the root.
    ++X->Extensions;
    X->ReplayPos = 0;
    suppressOutput(X);
    platform::JumpBuffer &Pad =
        beginDomain(enterRuntime(), AKESO_BASIC, "akeso_guess_strategy",
                    nullptr, X->RootLo);
    memcpy(&Pad, &X->RootPad, sizeof(Pad));
    return 1;
  }
  // Every extension has been explored.
  finish(X);
  return 0;
}

void *akeso__guess_push_dist(int N, const long *Distances, const char *File,
                             unsigned Line) {
  if (const GuessBackend *B = pagesHook())
    return B->Push(N, Distances, File, Line, GUESS_CALLER_SP());
  state()->Distances = Distances;
  return akeso__guess_push(N, File, Line);
}

void *akeso__guess_push(int N, const char *File, unsigned Line) {
  if (const GuessBackend *B = pagesHook())
    return B->Push(N, nullptr, File, Line, GUESS_CALLER_SP());
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  if (!X->Active)
    fatal("akeso_guess(%d) at %s:%u outside an exploration: call it inside "
          "`if (akeso_guess_strategy(...)) { ... }`",
          N, File, Line);
  if (N <= 0)
    fatal("akeso_guess(%d) at %s:%u: the number of extensions must be "
          "positive",
          N, File, Line);
  checkDepth(T, X, "akeso_guess");
  const long *Distances = X->Distances;
  X->Distances = nullptr;
  if (X->Strategy != AKESO_DFS) {
    if (X->ReplayPos < X->PathLen) {
      // Replaying the path of the extension being run.
      const int Choice = X->Path[X->ReplayPos++];
      if (Choice >= N)
        fatal("akeso_guess(%d) at %s:%u: replaying a path for BFS, this "
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
    // step ends.
    for (int I = 0; I < N; ++I)
      if (X->Strategy == AKESO_ASTAR)
        heapPush(X, I, Distances ? Distances[I] : X->PathPriority);
      else
        enqueue(X, I);
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
      beginDomain(T, AKESO_BASIC, "akeso_guess", nullptr, GUESS_CALLER_SP());
  X->PendingPad = &Pad;
  return &Pad;
}

int akeso__guess_landed(int Landed) {
  if (const GuessBackend *B = pagesHook())
    return B->Landed(Landed, GUESS_CALLER_SP());
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
    P.Lo = GUESS_CALLER_SP();
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
  restoreStack(X, P.Lo, P.CopyOffset);
  const int Choice = P.Current;
  restoreFlags(X);
  if (Choice == P.N - 1) {
    // The last extension runs in the parent's domain.
    X->ArenaUsed = P.CopyOffset;
    --X->Count;
  } else {
    platform::JumpBuffer &Pad = beginDomain(enterRuntime(), AKESO_BASIC,
                                            "akeso_guess", nullptr, P.Lo);
    memcpy(&Pad, &P.Pad, sizeof(Pad));
  }
  return Choice;
}

void akeso_guess_fail(void) {
  if (const GuessBackend *B = pagesHook()) {
    B->Fail();
    __builtin_unreachable();
  }
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  if (!X->Active)
    fatal("akeso_guess_fail() outside an exploration: call it inside "
          "`if (akeso_guess_strategy(...)) { ... }`");
  checkDepth(T, X, "akeso_guess_fail()");
  // (BFS: a failure while a path is replayed means the program is not
  // deterministic; the extension is dropped like any failed one.)
  restoreOutput(X);
  failNow(T, X);
}

void akeso_guess_stop(void) {
  if (const GuessBackend *B = pagesHook())
    return B->Stop();
  ThreadState *T = enterRuntime();
  Exploration *X = state();
  if (!X->Active)
    fatal("akeso_guess_stop() outside an exploration");
  checkDepth(T, X, "akeso_guess_stop()");
  for (size_t I = 0; I <= X->Count; ++I)
    endDomain(T);
  finish(X);
}

int akeso_guess_active(void) {
  if (const GuessBackend *B = pagesHook())
    return B->Active() ? 1 : 0;
  return ThisThread && ThisThread->Active ? 1 : 0;
}

} // extern "C"
