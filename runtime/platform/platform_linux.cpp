//===- platform/platform_linux.cpp - the runtime's Linux user-space host --===//
//
// Memory comes from mmap (never malloc: the runtime must not re-enter the
// allocator whose calls it interposes), thread exit from a pthread key
// destructor, and the landing-pad jump from _longjmp, the counterpart of the
// _setjmp the lowering pass emits (signal masks are not part of a domain).
//
//===----------------------------------------------------------------------===//
#include "platform/platform.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <sched.h>
#include <climits>
#include <cstdint>
#include <cstring>
#include <link.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

// __thread rather than thread_local: no dynamic initialisation, so every
// reader is a plain TLS load with no wrapper call.
extern "C" __thread void *__akeso_thread = nullptr;

namespace akeso::platform {

// The ranges reserveZeroed handed out (for forEachReserved); a fixed table
// because the runtime reserves a handful of large ranges per thread.
namespace {
constexpr size_t MaxReserved = 4096;
struct Reserved {
  uintptr_t Lo, Hi;
};
Reserved ReservedRanges[MaxReserved];
size_t ReservedCount = 0;
SpinLock ReservedLock;
} // namespace

void *reserveZeroed(size_t Bytes) {
  void *P = mmap(nullptr, Bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (P == MAP_FAILED)
    return nullptr;
  ReservedLock.lock();
  if (ReservedCount < MaxReserved)
    ReservedRanges[ReservedCount++] =
        Reserved{uintptr_t(P), uintptr_t(P) + Bytes};
  ReservedLock.unlock();
  return P;
}

void release(void *Base, size_t Bytes) {
  ReservedLock.lock();
  for (size_t I = 0; I < ReservedCount; ++I)
    if (ReservedRanges[I].Lo == uintptr_t(Base)) {
      ReservedRanges[I] = ReservedRanges[--ReservedCount];
      break;
    }
  ReservedLock.unlock();
  munmap(Base, Bytes);
}

void forEachReserved(void (*Fn)(uintptr_t, uintptr_t, void *), void *Arg) {
  ReservedLock.lock();
  for (size_t I = 0; I < ReservedCount; ++I)
    Fn(ReservedRanges[I].Lo, ReservedRanges[I].Hi, Arg);
  ReservedLock.unlock();
}

void writeError(const char *Text, size_t Length) {
  while (Length > 0) {
    ssize_t N = write(STDERR_FILENO, Text, Length);
    if (N <= 0)
      return;
    Text += N;
    Length -= size_t(N);
  }
}

// Recovery events are raised synchronously (not from signal handlers) and
// never from inside stdio, so flushing here cannot deadlock.
void flushProgramOutput() { fflush(nullptr); }

// The runtime's own fatal errors must not look like an abort() inside a
// domain (fault_triggers.cpp turns those into rollbacks).
void die() {
  signal(SIGABRT, SIG_DFL);
  abort();
}

const char *getConfig(const char *Name) { return getenv(Name); }

void dieWithSignal(int Sig) {
  signal(Sig, SIG_DFL);
  sigset_t Set;
  sigemptyset(&Set);
  sigaddset(&Set, Sig);
  sigprocmask(SIG_UNBLOCK, &Set, nullptr);
  raise(Sig);
  _exit(128 + Sig);
}

namespace {
pthread_key_t ExitKey;
pthread_once_t ExitKeyOnce = PTHREAD_ONCE_INIT;
void (*ThreadExitHook)(rt::ThreadState *) = nullptr;

void onThreadExit(void *State) {
  if (auto *Hook = __atomic_load_n(&ThreadExitHook, __ATOMIC_ACQUIRE))
    Hook(static_cast<rt::ThreadState *>(State));
}
void createExitKey() { pthread_key_create(&ExitKey, onThreadExit); }
} // namespace

void registerThreadExit(rt::ThreadState *State,
                        void (*OnExit)(rt::ThreadState *)) {
  pthread_once(&ExitKeyOnce, createExitKey);
  __atomic_store_n(&ThreadExitHook, OnExit, __ATOMIC_RELEASE);
  pthread_setspecific(ExitKey, State);
}

void jumpToLandingPad(JumpBuffer &Pad) { _longjmp(Pad, 1); }

void atProcessExit(void (*Fn)()) { atexit(Fn); }

ThreadHandle currentThreadHandle() { return pthread_self(); }

void currentStackBounds(uintptr_t &Low, uintptr_t &High) {
  pthread_attr_t Attr;
  void *Base = nullptr;
  size_t Size = 0;
  Low = High = 0;
  if (pthread_getattr_np(pthread_self(), &Attr) != 0)
    return;
  if (pthread_attr_getstack(&Attr, &Base, &Size) == 0) {
    Low = reinterpret_cast<uintptr_t>(Base);
    High = Low + Size;
  }
  pthread_attr_destroy(&Attr);
}

namespace {
// Above the real-time signals glibc and common libraries take for
// themselves (SIGRTMIN is already past glibc's own).
int pauseSignal() { return SIGRTMIN + 6; }
int kickSignal() { return SIGRTMIN + 7; }
void (*PauseHook)(bool, uintptr_t) = nullptr;

// The code of the objects loaded at start that akeso did not compile (libc,
// the dynamic loader, the vDSO, other libraries): a thread halted there is
// not between a version check and the store it guards, and is typically
// blocked in a system call.  Objects loaded later (dlopen) are not listed,
// so a thread halted in one counts as being in compiled code: that costs a
// claim on the words it wrote, never a lost one.
struct CodeRange {
  uintptr_t Low, High;
};
constexpr int MaxForeignRanges = 256;
CodeRange ForeignCode[MaxForeignRanges];
int ForeignRanges = 0;

// An object akeso compiled calls its hooks, so its dynamic string table
// names them; the executable (which holds the runtime) always counts as
// compiled.
bool namesAkesoHooks(const dl_phdr_info *Info) {
  const char *Strings = nullptr;
  size_t Size = 0;
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_DYNAMIC)
      continue;
    for (auto *D = reinterpret_cast<const ElfW(Dyn) *>(Info->dlpi_addr +
                                                       P.p_vaddr);
         D->d_tag != DT_NULL; ++D) {
      // The loader has relocated these to addresses (except in the vDSO).
      if (D->d_tag == DT_STRTAB)
        Strings = reinterpret_cast<const char *>(
            D->d_un.d_ptr < Info->dlpi_addr ? Info->dlpi_addr + D->d_un.d_ptr
                                            : D->d_un.d_ptr);
      else if (D->d_tag == DT_STRSZ)
        Size = D->d_un.d_val;
    }
  }
  if (!Strings || !Size)
    return false;
  static const char Prefix[] = "__akeso_";
  return memmem(Strings, Size, Prefix, sizeof(Prefix) - 1) != nullptr;
}

int noteForeignCode(dl_phdr_info *Info, size_t, void *Data) {
  int &Index = *static_cast<int *>(Data);
  if (Index++ == 0 || namesAkesoHooks(Info))
    return 0;
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X) ||
        ForeignRanges == MaxForeignRanges)
      continue;
    uintptr_t Low = Info->dlpi_addr + P.p_vaddr;
    ForeignCode[ForeignRanges++] = CodeRange{Low, Low + P.p_memsz};
  }
  return 0;
}

bool inForeignCode(uintptr_t PC) {
  for (int I = 0; I < ForeignRanges; ++I)
    if (PC >= ForeignCode[I].Low && PC < ForeignCode[I].High)
      return true;
  return false;
}

void onPauseSignal(int, siginfo_t *, void *Context) {
  int SavedErrno = errno;
  auto *UC = static_cast<ucontext_t *>(Context);
  const uintptr_t PC = uintptr_t(UC->uc_mcontext.gregs[REG_RIP]);
  PauseHook(inForeignCode(PC), uintptr_t(UC->uc_mcontext.gregs[REG_RSP]));
  errno = SavedErrno;
}
void onKickSignal(int) {}
} // namespace

void installThreadSignals(void (*OnPause)(bool, uintptr_t)) {
  PauseHook = OnPause;
  int Index = 0;
  dl_iterate_phdr(noteForeignCode, &Index);
  struct sigaction SA = {};
  SA.sa_sigaction = onPauseSignal;
  SA.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&SA.sa_mask);
  sigaction(pauseSignal(), &SA, nullptr);
  struct sigaction Kick = {};
  Kick.sa_handler = onKickSignal;
  sigemptyset(&Kick.sa_mask);
  sigaction(kickSignal(), &Kick, nullptr);
}

bool sendPause(ThreadHandle Thread) {
  return pthread_kill(pthread_t(Thread), pauseSignal()) == 0;
}
bool sendKick(ThreadHandle Thread) {
  return pthread_kill(pthread_t(Thread), kickSignal()) == 0;
}
void yieldProcessor() { sched_yield(); }
void sleepMicroseconds(unsigned Micros) { usleep(Micros); }

void waitOnWord(const uint32_t *Word, uint32_t Expected) {
  syscall(SYS_futex, Word, FUTEX_WAIT_PRIVATE, Expected, nullptr, nullptr, 0);
}
void wakeWordWaiters(const uint32_t *Word) {
  syscall(SYS_futex, Word, FUTEX_WAKE_PRIVATE, INT32_MAX, nullptr, nullptr, 0);
}

void GlobalLock::lock() {
  while (__atomic_exchange_n(&Word, 1, __ATOMIC_ACQUIRE))
    while (__atomic_load_n(&Word, __ATOMIC_RELAXED))
      sched_yield();
}
void GlobalLock::unlock() { __atomic_store_n(&Word, 0, __ATOMIC_RELEASE); }

} // namespace akeso::platform
