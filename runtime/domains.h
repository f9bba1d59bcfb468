//===- domains.h - begin, complete, commit and roll back domains ----------===//
#ifndef AKESO_RUNTIME_DOMAINS_H
#define AKESO_RUNTIME_DOMAINS_H

#include "thread_state.h"

namespace akeso::rt {

// Pushes a domain and returns its landing pad.  CallerStackTop is the stack
// pointer of the frame that will call setjmp on the result.
platform::JumpBuffer &beginDomain(ThreadState *T, akeso_domain_kind Kind,
                                  const char *Name,
                                  const akeso_domain_desc *Desc,
                                  uintptr_t CallerStackTop);

// Completes the innermost domain: merge into a logged parent, else commit.
void endDomain(ThreadState *T);

// Logs Fn(Arg) to run if the innermost logged domain rolls back; outside
// any logged domain there is nothing to undo and it is dropped.
void logUndoAction(ThreadState *T, ActionFn Fn, void *Arg);

// Cancels the most recent undo action Fn(Arg) logged by this thread's
// active domains, if there is one; returns whether there was.
bool cancelUndoAction(ThreadState *T, ActionFn Fn, void *Arg);

// Logs Fn(Arg) to run when the innermost logged domain commits (dropped if
// it rolls back); outside any logged domain it runs at once.
void deferAction(ThreadState *T, ActionFn Fn, void *Arg);

// Where and why a recovery event was raised, for reports.
struct FaultSite {
  const char *Reason = "";
  const char *File = nullptr;
  unsigned Line = 0;
  const char *Function = nullptr;
};

// Rolls back the innermost recoverable domain of T and resumes at its
// landing pad; with none, reports and aborts.
[[noreturn]] void raiseFault(ThreadState *T, const FaultSite &Site);

} // namespace akeso::rt

#endif
