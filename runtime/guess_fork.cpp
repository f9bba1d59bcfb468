//===- guess_fork.cpp - guess / fail with one process per extension -------===//
//
// The Fork backend: the naive design of ../shared/seeds/001_* §3, kept as
// the baseline the undo log and page snapshots are measured against.  A
// partial candidate is a process; the kernel's copy-on-write fork() is the
// snapshot, so it works for any code, instrumented or not.
//
// DFS.  akeso_guess_strategy forks the first extension step and waits:
// the original process (the root) never explores, so when its child is
// done its state is the one of the start and the strategy evaluates to 0.
// At a guess point with n extensions a process forks a child for each of
// extensions 0..n-2 in turn, waiting for each, and then runs extension
// n-1 itself (nothing is left to protect its state for).  A failure is
// _exit in the failing process.  So at any time the live processes are a
// chain, one per open guess point, and output comes in exploration order.
//
// BFS and A*, by recomputation: the root is the snapshot.  For each
// pending path (guess_frontier.h) it forks a child that replays the path
// (its guesses return the path's choices; stdout goes to /dev/null
// meanwhile, since that output was written when the path's steps first
// ran) and reports the next guess point's extensions and distances back
// over a pipe, then exits.
//
// akeso_guess_stop: the stopping process sets a flag in a page shared with
// its ancestors and continues as the program.  Each ancestor, once its
// child has exited, sees the flag and exits with that child's status (or
// dies of its signal), the root included: the rest of the program runs in
// the stopping process.  An extension killed by a signal (a crash, a
// misuse error's abort) ends the whole exploration the same way.
//
// Before every fork and every exit all stdio streams are flushed, so no
// buffered output is written twice or lost.
//
//===----------------------------------------------------------------------===//
#include "akeso/guess.h"
#include "guess_backend.h"
#include "guess_frontier.h"
#include "platform/platform.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>

namespace akeso::rt {
namespace {

constexpr size_t MaxPath = size_t(1) << 16; // guesses on one path (BFS, A*)

// Shared by the processes of one exploration (MAP_SHARED).
struct SharedState {
  volatile int Stopped; // some process called akeso_guess_stop
};

// What a BFS/A* child reports about the guess point it reached: the
// number of extensions, then (if HasDistances) one long per extension.
struct GuessMessage {
  int N;
  int HasDistances;
};

struct ForkExploration {
  bool Active = false;
  int Strategy = AKESO_DFS;
  SharedState *Shared = nullptr;
  platform::JumpBuffer Scratch; // what the macros' setjmp fills; never used
  int Choice = 0;               // what the guess's Landed hook returns
  // BFS and A*: the path being replayed in this child, how far, and the
  // pipe to the root; in the root, the frontier.
  int *Path = nullptr;
  size_t PathLen = 0, ReplayPos = 0;
  long PathDistance = 0;
  int ReportFd = -1;
  bool Suppressed = false;
  int SavedStdout = -1;
  GuessFrontier Frontier;
};

__thread ForkExploration *ThisThread = nullptr;

ForkExploration *state() {
  if (__builtin_expect(ThisThread == nullptr, 0)) {
    void *Mem = platform::reserveZeroed(sizeof(ForkExploration));
    void *Path = platform::reserveZeroed(MaxPath * sizeof(int));
    if (!Mem || !Path)
      fatal("akeso_guess (fork backend): cannot reserve memory for an "
            "exploration");
    ForkExploration *X = static_cast<ForkExploration *>(Mem); // zeroed
    X->ReportFd = X->SavedStdout = -1;
    X->Path = static_cast<int *>(Path);
    ThisThread = X;
  }
  return ThisThread;
}

void flushAll() { fflush(nullptr); }

// Ends this process; the waiting parent goes on with the next extension.
[[noreturn]] void leave() {
  flushAll();
  _exit(0);
}

// Ends this process the way its child ended (exit status or signal).
[[noreturn]] void endLike(int Status) {
  flushAll();
  if (WIFSIGNALED(Status)) {
    const int Sig = WTERMSIG(Status);
    // The child dumped core already if it was to; one dump is enough.
    struct rlimit NoCore = {0, 0};
    setrlimit(RLIMIT_CORE, &NoCore);
    platform::dieWithSignal(Sig);
  }
  _exit(WEXITSTATUS(Status));
}

pid_t forkExtension(int Extension, const char *Where) {
  flushAll();
  pid_t Pid = fork();
  if (Pid < 0)
    fatal("akeso_guess (fork backend): fork() for extension %d of %s "
          "failed: %s%s",
          Extension, Where, strerror(errno),
          errno == EAGAIN ? "; the process limit (ulimit -u) or memory is "
                            "exhausted: use the undo backend "
                            "(AKESO_OPTIONS=guess_backend=undo)"
                          : "");
  return Pid;
}

// Waits for an extension's process; if it stopped the exploration or was
// killed, ends this process the same way.
void waitExtension(ForkExploration *X, pid_t Pid) {
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR)
      fatal("akeso_guess (fork backend): waitpid(%d) failed: %s", int(Pid),
            strerror(errno));
  if (X->Shared->Stopped || WIFSIGNALED(Status))
    endLike(Status);
}

void suppressOutput(ForkExploration *X) {
  flushAll();
  X->SavedStdout = dup(1);
  const int DevNull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (X->SavedStdout < 0 || DevNull < 0 || dup2(DevNull, 1) < 0)
    fatal("akeso_guess (fork backend): cannot redirect stdout while "
          "replaying a path: %s",
          strerror(errno));
  close(DevNull);
  X->Suppressed = true;
}

void restoreOutput(ForkExploration *X) {
  if (!X->Suppressed)
    return;
  fflush(stdout);
  dup2(X->SavedStdout, 1);
  close(X->SavedStdout);
  X->SavedStdout = -1;
  X->Suppressed = false;
}

void writeFully(int Fd, const void *Data, size_t Bytes) {
  const char *P = static_cast<const char *>(Data);
  while (Bytes) {
    ssize_t N = write(Fd, P, Bytes);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      fatal("akeso_guess (fork backend): cannot report a guess point to the "
            "exploring root process: %s",
            strerror(errno));
    P += N;
    Bytes -= size_t(N);
  }
}

// False at end of file before any byte.
bool readFully(int Fd, void *Data, size_t Bytes) {
  char *P = static_cast<char *>(Data);
  size_t Got = 0;
  while (Got < Bytes) {
    ssize_t N = read(Fd, P + Got, Bytes - Got);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      fatal("akeso_guess (fork backend): reading from an extension's "
            "process: %s",
            strerror(errno));
    if (N == 0) {
      if (Got == 0)
        return false;
      fatal("akeso_guess (fork backend): an extension's process exited in "
            "the middle of reporting its guess point");
    }
    Got += size_t(N);
  }
  return true;
}

// BFS, A*: the root runs every pending path in a child of its own, until
// the frontier is empty.  Returns in the child (which explores) with
// true, in the root with false once everything is explored.
bool runFrontier(ForkExploration *X) {
  X->Frontier.reset(X->Strategy == AKESO_BFS ? "BFS" : "A*");
  X->Frontier.push(nullptr, 0, nullptr, 0, 0); // the root's own step
  size_t Bytes;
  while (X->Frontier.pop(X->Path, MaxPath * sizeof(int), Bytes,
                         X->PathDistance)) {
    X->PathLen = Bytes / sizeof(int);
    int Pipe[2];
    if (pipe2(Pipe, O_CLOEXEC) < 0)
      fatal("akeso_guess (fork backend): pipe() failed: %s", strerror(errno));
    const pid_t Pid = forkExtension(X->PathLen ? X->Path[X->PathLen - 1] : 0,
                                    "a pending path");
    if (Pid == 0) {
      close(Pipe[0]);
      X->ReportFd = Pipe[1];
      X->ReplayPos = 0;
      if (X->PathLen)
        suppressOutput(X);
      X->Frontier.release();
      return true;
    }
    close(Pipe[1]);
    GuessMessage M;
    if (readFully(Pipe[0], &M, sizeof(M))) {
      if (X->PathLen >= MaxPath)
        fatal("akeso_guess (fork backend): a path of more than %zu guesses",
              MaxPath);
      for (int I = 0; I < M.N; ++I) {
        long Distance = X->Strategy == AKESO_ASTAR ? X->PathDistance : 0;
        if (M.HasDistances) {
          long D;
          if (!readFully(Pipe[0], &D, sizeof(D)))
            fatal("akeso_guess (fork backend): an extension's process "
                  "exited in the middle of reporting its guess point");
          if (X->Strategy == AKESO_ASTAR)
            Distance = D;
        }
        X->Frontier.push(X->Path, X->PathLen * sizeof(int), &I, sizeof(I),
                         Distance);
      }
    }
    close(Pipe[0]);
    waitExtension(X, Pid);
  }
  X->Frontier.release();
  return false;
}

void *forkBegin(int Strategy, uintptr_t, uintptr_t) {
  ForkExploration *X = state();
  // A fresh shared page: a process that stopped an earlier exploration
  // still shares the old one with the ancestors waiting for it.
  if (X->Shared)
    munmap(X->Shared, sizeof(SharedState));
  void *Page = mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (Page == MAP_FAILED)
    fatal("akeso_guess (fork backend): cannot map a shared page: %s",
          strerror(errno));
  X->Shared = static_cast<SharedState *>(Page);
  X->Strategy = Strategy;
  X->PathLen = X->ReplayPos = 0;
  X->Active = true;
  return &X->Scratch;
}

int forkEntered(int, uintptr_t) {
  ForkExploration *X = state();
  if (X->Strategy != AKESO_DFS) {
    if (runFrontier(X))
      return 1;
  } else {
    const pid_t Pid = forkExtension(0, "akeso_guess_strategy");
    if (Pid == 0)
      return 1;
    waitExtension(X, Pid);
  }
  // The root: every extension has been explored.
  X->Active = false;
  return 0;
}

void *forkPush(int N, const long *Distances, const char *File, unsigned Line,
               uintptr_t) {
  ForkExploration *X = state();
  if (X->Strategy != AKESO_DFS) {
    if (X->ReplayPos < X->PathLen) {
      const int Choice = X->Path[X->ReplayPos++];
      if (Choice >= N)
        fatal("akeso_guess(%d) at %s:%u: replaying a path for BFS/A*, this "
              "guess was made with more extensions before: the program is "
              "not deterministic between its guesses",
              N, File, Line);
      if (X->ReplayPos == X->PathLen)
        restoreOutput(X);
      X->Choice = Choice;
      return &X->Scratch;
    }
    // A new partial candidate: the root queues its extensions.
    GuessMessage M{N, Distances != nullptr};
    writeFully(X->ReportFd, &M, sizeof(M));
    if (Distances)
      writeFully(X->ReportFd, Distances, size_t(N) * sizeof(long));
    leave();
  }
  char Where[256];
  snprintf(Where, sizeof(Where), "the guess point at %s:%u", File, Line);
  for (int I = 0; I < N - 1; ++I) {
    const pid_t Pid = forkExtension(I, Where);
    if (Pid == 0) {
      X->Choice = I;
      return &X->Scratch;
    }
    waitExtension(X, Pid);
  }
  X->Choice = N - 1; // the last extension runs in this process
  return &X->Scratch;
}

int forkLanded(int, uintptr_t) { return state()->Choice; }

[[noreturn]] void forkFail() { leave(); }

void forkStop() {
  ForkExploration *X = state();
  __atomic_store_n(&X->Shared->Stopped, 1, __ATOMIC_SEQ_CST);
  if (X->ReportFd >= 0) {
    close(X->ReportFd);
    X->ReportFd = -1;
  }
  restoreOutput(X);
  X->Active = false;
}

bool forkActive() { return ThisThread && ThisThread->Active; }

const GuessBackend ForkBackend = {"fork",    forkBegin,  forkEntered,
                                  forkPush,  forkLanded, forkFail,
                                  forkStop,  forkActive};

} // namespace

const GuessBackend *forkGuessBackend() { return &ForkBackend; }

} // namespace akeso::rt
