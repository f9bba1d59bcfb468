//===- checker_triggers.cpp - memory-safety checkers raise recovery events -===//
//
// AddressSanitizer and UndefinedBehaviorSanitizer call a weak hook when they
// find an error (__asan_on_error, __ubsan_on_report); the runtime's strong
// definitions note the error for the thread.  They run inside the
// checker's report machinery, with its report lock held, so they must not
// jump anywhere: the checker prints its report and, compiled to recover
// (-fsanitize-recover=address, UBSan's default), returns to the program;
// the thread's next runtime entry (the next write hook, domain end, ...)
// raises the fault and rolls the domain back.  The access the checker
// flagged has executed by then; being instrumented, it is undone with the
// rest of the domain.  The checker's state is untouched by the rollback,
// so a second error reports and recovers like the first.
//
// ASan must not stop the process after its report: __asan_default_options
// asks for halt_on_error=0, and for every report of a repeated error
// location (suppress_equal_pcs=0), since each one is a request to roll
// back.  UBSan reports each source location once per process whatever it
// is told; its trap mode (-fsanitize-trap=..., a SIGILL on every
// occurrence, fault_triggers.cpp) has no such limit.
//
//===----------------------------------------------------------------------===//
#include "domains.h"
#include "options.h"
#include "report.h"

#include <cstdio>

using namespace akeso;
using namespace akeso::rt;

extern "C" {
// Present when the program is linked with the checker.
__attribute__((weak)) const char *__asan_get_report_description();
__attribute__((weak)) void __ubsan_get_current_report_data(
    const char **IssueKind, const char **Message, const char **Filename,
    unsigned *Line, unsigned *Col, char **MemoryAddr);
}

namespace {

void noteCheckerError(const char *Checker, const char *What, const char *File,
                      unsigned Line) {
  ThreadState *T = platform::currentThread();
  if (!T || T->CurrentId == 0 || T->InRuntime)
    return;
  if (Flags.OnFault == FaultPolicy::Report) {
    report("%s error in domain '%s': %s; continuing (on_fault=report)",
           Checker, T->innermost() ? T->innermost()->Name : "?",
           What ? What : "error");
    return;
  }
  snprintf(T->CheckerReason, sizeof(T->CheckerReason), "%s: %s", Checker,
           What ? What : "error");
  T->CheckerFile = File;
  T->CheckerLine = Line;
  T->CheckerFault.store(true, std::memory_order_release);
}

} // namespace

namespace akeso::rt {

void raiseCheckerFault(ThreadState *T) {
  T->CheckerFault.store(false, std::memory_order_relaxed);
  FaultSite Site;
  Site.Reason = T->CheckerReason;
  Site.File = T->CheckerFile;
  Site.Line = T->CheckerLine;
  raiseFault(T, Site);
}

} // namespace akeso::rt

extern "C" {

AKESO_VISIBLE void __asan_on_error() {
  const char *What =
      __asan_get_report_description ? __asan_get_report_description() : nullptr;
  noteCheckerError("AddressSanitizer", What, nullptr, 0);
}

AKESO_VISIBLE void __ubsan_on_report() {
  const char *Kind = nullptr, *Message = nullptr, *File = nullptr;
  unsigned Line = 0, Col = 0;
  char *Address = nullptr;
  if (__ubsan_get_current_report_data)
    __ubsan_get_current_report_data(&Kind, &Message, &File, &Line, &Col,
                                    &Address);
  noteCheckerError("UndefinedBehaviorSanitizer", Kind, File, Line);
}

// AddressSanitizer's options before the program's ASAN_OPTIONS (which still
// override them).  A program that defines this function itself must merge
// these into it.
AKESO_VISIBLE const char *__asan_default_options() {
  return "halt_on_error=0:suppress_equal_pcs=0";
}

} // extern "C"
