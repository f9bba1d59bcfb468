//===- pages/guess_pages.cpp - guess / fail over page snapshots -----------===//
//
// The Pages backend of akeso/guess.h (runtime/guess_backend.h): every
// guess point with more than one extension (any guess point, under BFS
// and A*) is a page snapshot (snapshot.h) whose register file is the
// guess macro's jmp_buf; running an extension restores its snapshot, on a
// stack of its own, and jumps to the guess point with the extension's
// choice.  No instrumentation: the program may be compiled by any
// compiler and call any library.
//
// Frontiers: DFS keeps the guess points with extensions left on a stack
// (the newest first, its extensions in order); BFS and A* use the shared
// frontier (guess_frontier.h) with (snapshot, choice) records.  A pending
// extension holds a reference to its snapshot.
//
// The runtime's own work (this file, the snapshot engine) runs with system
// call interception paused; it resumes just before control returns to the
// program.
//
//===----------------------------------------------------------------------===//
#include "akeso/guess.h"
#include "guess_backend.h"
#include "guess_frontier.h"
#include "pages/files.h"
#include "pages/host.h"
#include "pages/interpose.h"
#include "pages/snapshot.h"
#include "report.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace akeso::pages;
namespace platform = akeso::platform;

namespace {

struct Pending {
  long Priority;
  Node *Snapshot;
  int Choice;
};

// A BFS or A* frontier record.
struct PendingRecord {
  Node *Snapshot;
  int Choice;
};

struct Exploration {
  bool Active;
  int Strategy;
  platform::JumpBuffer RootPad, PushPad, Scratch;
  int PushN, TrivialChoice;
  bool PushedTrivial;
  const long *Distances;
  // The extension being run.
  int Choice;
  long Priority;
  // DFS: guess points with extensions left, newest first.
  Node *Stack;
  // BFS and A*.
  akeso::rt::GuessFrontier Frontier;
  // Handed to the restore stack.
  Node *Target;
  bool DropTargetRef;
  unsigned long long Extensions, Failures;
};
Exploration *X = nullptr;

Exploration *state() {
  if (!X) {
    X = static_cast<Exploration *>(
        platform::reserveZeroed(sizeof(Exploration)));
    if (!X)
      akeso::rt::fatal("akeso_guess (pages): cannot reserve memory for an "
                       "exploration");
  }
  return X;
}

int threadCount() {
  char Buf[1024];
  int Fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return 1;
  ssize_t N = read(Fd, Buf, sizeof(Buf) - 1);
  close(Fd);
  if (N <= 0)
    return 1;
  Buf[N] = 0;
  // Field 20 (num_threads), counted after the command's closing paren.
  const char *P = strrchr(Buf, ')');
  for (int Field = 2; P && Field < 20; ++Field)
    P = strchr(P + 1, ' ');
  return P ? atoi(P + 1) : 1;
}

void add(Node *T, int Choice, long Priority) {
  snapRef(T);
  const PendingRecord R{T, Choice};
  // BFS is the frontier's order with every distance equal.
  X->Frontier.push(&R, sizeof(R), nullptr, 0,
                   X->Strategy == AKESO_ASTAR ? Priority : 0);
}

bool next(Pending &Out) {
  if (X->Strategy == AKESO_DFS) {
    Node *T = X->Stack;
    if (!T)
      return false;
    Out = Pending{X->Priority, T, T->Next++};
    if (T->Next == T->N)
      X->Stack = T->StackNext; // its reference goes with Out
    else
      snapRef(T); // the stack keeps its own
    return true;
  }
  PendingRecord R;
  size_t Bytes;
  long Priority;
  if (!X->Frontier.pop(&R, sizeof(R), Bytes, Priority))
    return false;
  Out = Pending{Priority, R.Snapshot, R.Choice};
  return true;
}

void dropFrontier() {
  Pending P;
  if (X->Strategy == AKESO_DFS) {
    while (X->Stack) {
      Node *T = X->Stack;
      X->Stack = T->StackNext;
      snapUnref(T);
    }
    return;
  }
  while (next(P))
    snapUnref(P.Snapshot);
}

void flushOutput() {
  fflush(stdout);
  fflush(stderr);
}

void endInterception() {
  interposeStop();
}

// On the restore stack: make memory what X->Target saw, then run the
// chosen extension from its guess point.
[[noreturn]] void resumeTarget(void *) {
  Node *T = X->Target;
  snapRestore(T);
  filesOnRestore(snapIsLive);
  if (X->DropTargetRef)
    snapUnref(T); // the frontier's reference; T is current now
  ++X->Extensions;
  if (T == snapRoot()) {
    // Every extension explored: the root is restored; end.
    snapEnd(false);
    endInterception();
    X->Active = false;
    platform::jumpToLandingPad(X->RootPad);
  }
  hostInterceptResume();
  platform::jumpToLandingPad(T->Pad);
}

[[noreturn]] void runNext() {
  flushOutput();
  Pending P;
  if (next(P)) {
    X->Choice = P.Choice;
    X->Priority = P.Priority;
    X->Target = P.Snapshot;
    X->DropTargetRef = true;
  } else {
    X->Target = snapRoot();
    X->DropTargetRef = false;
  }
  hostRunOnStack(snapRestoreStack(), [](void *A) { resumeTarget(A); },
                 nullptr);
  __builtin_unreachable();
}

// --- GuessBackend hooks -----------------------------------------------------
// guess.cpp has checked what is the same for every backend (calls outside
// an exploration, n <= 0, nested explorations, the strategy) before these
// run.

void *pagesBegin(int Strategy, uintptr_t, uintptr_t) {
  state();
  if (int Threads = threadCount(); Threads > 1)
    akeso::rt::fatal("akeso_guess_strategy (pages backend): the process has "
                     "%d threads; page snapshots cover the whole address "
                     "space, so the other threads' writes would be undone "
                     "too.  Explore before starting threads, or use the "
                     "undo backend",
                     Threads);
  X->Strategy = Strategy;
  X->Stack = nullptr;
  if (Strategy != AKESO_DFS)
    X->Frontier.reset(Strategy == AKESO_BFS ? "BFS" : "A*");
  X->Extensions = X->Failures = 0;
  X->Priority = 0;
  return &X->RootPad;
}

int pagesEntered(int Landed, uintptr_t) {
  if (Landed)
    return 0; // back from the last extension: everything explored
  flushOutput();
  char Why[256];
  if (!interposePrepare(Why, sizeof(Why)) || !snapBegin(Why, sizeof(Why)))
    akeso::rt::fatal("akeso_guess_strategy (pages backend): %s", Why);
  memcpy(snapRoot()->Pad, X->RootPad, sizeof(X->RootPad));
  X->Active = true;
  X->Extensions = 1;
  if (!interposeStart(Why, sizeof(Why)))
    akeso::rt::fatal("akeso_guess_strategy (pages backend): %s", Why);
  hostInterceptResume();
  return 1;
}

void *pagesPush(int N, const long *Dist, const char *, unsigned,
                uintptr_t) {
  hostInterceptPause();
  flushOutput();
  if (X->Strategy == AKESO_DFS && N == 1) {
    X->PushedTrivial = true;
    X->TrivialChoice = 0;
    return &X->Scratch;
  }
  X->PushN = N;
  X->Distances = Dist;
  return &X->PushPad;
}

int pagesLanded(int Landed, uintptr_t) {
  if (Landed) {
    hostInterceptResume();
    return X->Choice;
  }
  if (X->PushedTrivial) {
    X->PushedTrivial = false;
    hostInterceptResume();
    return X->TrivialChoice;
  }
  Node *T = snapTake();
  filesOnTake(T);
  memcpy(T->Pad, X->PushPad, sizeof(X->PushPad));
  T->N = X->PushN;
  T->Priority = X->Priority;
  if (X->Strategy == AKESO_DFS) {
    T->Next = 1;
    snapRef(T);
    T->StackNext = X->Stack;
    X->Stack = T;
    ++X->Extensions;
    hostInterceptResume();
    return 0;
  }
  for (int I = 0; I < T->N; ++I)
    add(T, I, X->Distances ? X->Distances[I] : X->Priority);
  X->Distances = nullptr;
  runNext();
}

[[noreturn]] void pagesFail() {
  hostInterceptPause();
  ++X->Failures;
  runNext();
}

void pagesStop() {
  hostInterceptPause();
  flushOutput();
  dropFrontier();
  filesCommit();
  snapEnd(true);
  endInterception();
  X->Active = false;
}

bool pagesActive() { return X && X->Active; }

const akeso::rt::GuessBackend PagesBackend = {
    "pages",     pagesBegin, pagesEntered, pagesPush,
    pagesLanded, pagesFail,  pagesStop,    pagesActive,
};

} // namespace

namespace akeso::rt {
const GuessBackend *pagesGuessBackend() { return &PagesBackend; }
} // namespace akeso::rt
