//===- domain_api.cpp - the user API of akeso/akeso.h and domain markers --===//
#include "akeso/abi.h"
#include "akeso/akeso.h"
#include "domains.h"
#include "report.h"

#include <cstdarg>

using namespace akeso::rt;

// The landing pad's frame is the caller of these functions; its stack
// pointer is just above our return address, so every stack address below
// it belongs to frames that die when control jumps to the landing pad.
#define AKESO_CALLER_STACK_TOP()                                               \
  (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) + 2 * sizeof(void *))

extern "C" {

void *__akeso_domain_begin(int Kind, void *Desc) {
  auto *D = static_cast<const akeso_domain_desc *>(Desc);
  return &beginDomain(enterRuntime(), static_cast<akeso_domain_kind>(Kind),
                      D ? D->name : "<unnamed>", D, AKESO_CALLER_STACK_TOP());
}

void __akeso_domain_end(void) { endDomain(enterRuntime()); }

// The variadic part is `Count` 64-bit values (abi.def).
static void readCall(ActionCall &Call, void *Thunk, int Count, va_list Args) {
  if (Count < 0 || Count > AKESO_MAX_INVERSE_ARGS)
    fatal("an inverse or deferred call with %d arguments (at most %d)", Count,
          AKESO_MAX_INVERSE_ARGS);
  Call.Thunk = reinterpret_cast<ActionFn>(Thunk);
  Call.Count = unsigned(Count);
  for (int I = 0; I < Count; ++I)
    Call.Args[I] = va_arg(Args, uint64_t);
}

void __akeso_domain_end_inverse(void *Thunk, int Count, ...) {
  ActionCall Call;
  va_list Args;
  va_start(Args, Count);
  readCall(Call, Thunk, Count, Args);
  va_end(Args);
  endDomain(enterRuntime(), &Call);
}

void __akeso_defer_call(void *Thunk, int Count, ...) {
  ActionCall Call;
  va_list Args;
  va_start(Args, Count);
  readCall(Call, Thunk, Count, Args);
  va_end(Args);
  deferCall(enterRuntime(), Call);
}

void *akeso_domain_begin(akeso_domain_kind Kind, const char *Name) {
  return &beginDomain(enterRuntime(), Kind, Name, nullptr,
                      AKESO_CALLER_STACK_TOP());
}

void akeso_domain_end(void) { endDomain(enterRuntime()); }

void akeso_raise_fault(const char *Reason, const char *File, unsigned Line,
                       const char *Function) {
  FaultSite Site;
  Site.Reason = Reason ? Reason : "(no reason given)";
  Site.File = File;
  Site.Line = Line;
  Site.Function = Function;
  raiseFault(thread(), Site);
}

void akeso_log_undo(void (*Fn)(void *), void *Arg) {
  logUndoAction(enterRuntime(), Fn, Arg);
}

void akeso_defer(void (*Fn)(void *), void *Arg) {
  deferAction(enterRuntime(), Fn, Arg);
}

void akeso_will_write(const void *Addr, size_t Size) {
  __akeso_write_range(const_cast<void *>(Addr), Size);
}

unsigned akeso_domain_depth(void) { return thread()->Depth; }

} // extern "C"

extern "C" void __akeso_output(int Fd, void *What) {
  ThreadState *T = enterRuntime();
  if (T->CurrentId == 0)
    return;
  DomainNode *N = nodeOf(T->CurrentId);
  if (!N->Output) {
    N->Output = What ? static_cast<const char *>(What) : "output";
    N->OutputFd = Fd;
  }
}
