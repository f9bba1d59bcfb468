//===- fault_triggers.cpp - what raises a recovery event -------------------===//
//
// Besides akeso_fault(): hardware faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
// the last also what -fsanitize-trap checks raise), assert() failures and
// abort() inside a logged domain.  A synchronous fault in the program's own
// code is recovered from its signal handler: that code holds no lock of
// libc's, and the jump to the landing pad is what the domain's setjmp
// prepared for.  A fault whose instruction is in a shared library (libc's
// malloc, say) is not: jumping out could leave the library's locks held, so
// the runtime reports it and lets the process die as it would have.
//
// A fault outside any logged domain is not akeso's business: the report
// says where, the default action runs (core dump and all).
//
//===----------------------------------------------------------------------===//
#include "domains.h"
#include "options.h"
#include "report.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <link.h>
#include <ucontext.h>
#include <unistd.h>

namespace akeso::rt {

namespace {

// The executable's code: faults there are the program's own.
uintptr_t ProgramTextLow = 0, ProgramTextHigh = 0;

int findProgramText(dl_phdr_info *Info, size_t, void *) {
  // The first object is the executable.
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
      continue;
    uintptr_t Low = Info->dlpi_addr + P.p_vaddr, High = Low + P.p_memsz;
    if (!ProgramTextLow || Low < ProgramTextLow)
      ProgramTextLow = Low;
    if (High > ProgramTextHigh)
      ProgramTextHigh = High;
  }
  return 1;
}

bool inProgramText(uintptr_t PC) {
  return PC >= ProgramTextLow && PC < ProgramTextHigh;
}

const char *signalName(int Sig) {
  switch (Sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  case SIGABRT:
    return "SIGABRT";
  }
  return "signal";
}

bool inLoggedDomain(ThreadState *T) {
  return T && T->CurrentId != 0 && !T->InRuntime &&
         T->InCritical.load(std::memory_order_relaxed) == 0;
}


void onFaultSignal(int Sig, siginfo_t *Info, void *Context) {
  ThreadState *T = platform::currentThread();
  auto *UC = static_cast<ucontext_t *>(Context);
  const uintptr_t PC = uintptr_t(UC->uc_mcontext.gregs[REG_RIP]);
  // Only faults the thread caused itself (not a kill(2) from elsewhere).
  const bool Synchronous = Info->si_code > 0 || Sig == SIGABRT;
  char Reason[160];
  if (Sig == SIGSEGV || Sig == SIGBUS)
    snprintf(Reason, sizeof(Reason), "%s accessing %p (pc %p)",
             signalName(Sig), Info->si_addr, reinterpret_cast<void *>(PC));
  else if (Sig == SIGABRT)
    snprintf(Reason, sizeof(Reason), "abort() called");
  else
    snprintf(Reason, sizeof(Reason), "%s (pc %p)", signalName(Sig),
             reinterpret_cast<void *>(PC));
  // The write hook reads a word's old contents before the program's store
  // does: an invalid store faults there first.  Nothing is half-updated at
  // that point, so it is the program's fault, taken in the hook.
  if (Synchronous && T && T->Probing &&
      reinterpret_cast<uintptr_t>(Info->si_addr) - T->ProbedWord < 8) {
    T->Probing = false;
    T->InCritical.store(0, std::memory_order_relaxed);
    T->PausePending.store(false, std::memory_order_relaxed);
  }
  if (!Synchronous || !inLoggedDomain(T)) {
    if (Synchronous && T && T->Depth && !inLoggedDomain(T))
      report("%s at pc %p inside the runtime or an unlogged domain; not "
             "recoverable",
             Reason, reinterpret_cast<void *>(PC));
    platform::dieWithSignal(Sig);
  }
  if (Sig != SIGABRT && !inProgramText(PC)) {
    report("%s at pc %p, outside the program's code (in a shared library), "
           "inside domain '%s': a rollback from there could leave the "
           "library's locks held; not recovering",
           Reason, reinterpret_cast<void *>(PC), T->innermost()->Name);
    platform::dieWithSignal(Sig);
  }
  // The handler runs with SA_NODEFER, and _longjmp keeps the signal mask:
  // nothing stays blocked after the jump.
  FaultSite Site;
  Site.Reason = Reason;
  raiseFault(T, Site);
}

} // namespace

void installFaultTriggers() {
  dl_iterate_phdr(findProgramText, nullptr);
  struct sigaction SA = {};
  SA.sa_sigaction = onFaultSignal;
  SA.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&SA.sa_mask);
  for (int Sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
    sigaction(Sig, &SA, nullptr);
}

} // namespace akeso::rt

using namespace akeso;
using namespace akeso::rt;

// glibc's assert() reports through __assert_fail.  Inside a logged domain a
// failed assertion is a recovery event; elsewhere it behaves as glibc's.
extern "C" AKESO_VISIBLE __attribute__((noreturn)) void
__assert_fail(const char *Assertion, const char *File, unsigned Line,
              const char *Function) {
  ThreadState *T = platform::currentThread();
  if (inLoggedDomain(T)) {
    char Reason[300];
    snprintf(Reason, sizeof(Reason), "assertion '%s' failed", Assertion);
    FaultSite Site;
    Site.Reason = Reason;
    Site.File = File;
    Site.Line = Line;
    Site.Function = Function;
    raiseFault(T, Site);
  }
  platform::flushProgramOutput();
  char Message[600];
  int N = snprintf(Message, sizeof(Message), "%s%s%s:%u: %s%sAssertion `%s' failed.\n",
                   program_invocation_short_name, ": ", File, Line,
                   Function ? Function : "", Function ? ": " : "", Assertion);
  if (N > 0)
    platform::writeError(Message, size_t(N) < sizeof(Message) ? size_t(N)
                                                                : sizeof(Message) - 1);
  abort();
}
