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

// A semantic inverse (`kv_free(ret)`) or a deferred call, with its
// arguments widened to 64 bits: Thunk(Args) performs it.
struct ActionCall {
  ActionFn Thunk = nullptr;
  unsigned Count = 0;
  uint64_t Args[AKESO_MAX_INVERSE_ARGS] = {};
};

// Completes the innermost domain (004 §4.3): a basic domain with a logged
// parent merges into it; a root basic, reversible or transparent domain
// commits as soon as nothing it depends on is speculative.  Inverse, for a
// reversible or unlogged domain, is logged as an undo action of the
// enclosing logged domain.
void endDomain(ThreadState *T, const ActionCall *Inverse = nullptr);

// Logs Fn(Arg) to run if the innermost logged domain rolls back; outside
// any logged domain there is nothing to undo and it is dropped.
void logUndoAction(ThreadState *T, ActionFn Fn, void *Arg);

// The same for an action that releases memory the domain allocated.
void logReleaseAction(ThreadState *T, ActionFn Fn, void *Arg);

// Freeing an object uses every word of it: if another domain wrote some of
// them and has not committed, the freeing domain depends on it (a later
// rollback of the writer restores those words, so the memory must not have
// been reused by then).
void noteObjectRelease(ThreadState *T, const void *Object, size_t Size);
// Whether a release can depend on anything: not while one thread ran
// domains (the domains it is nested in are its own).
bool releaseCanDepend();

// Cancels the most recent undo action Fn(Arg) logged by this thread's
// active domains, if there is one; returns whether there was.
bool cancelUndoAction(ThreadState *T, ActionFn Fn, void *Arg);

// Logs Fn(Arg) to run when the innermost logged domain commits (dropped if
// it rolls back); outside any logged domain it runs at once.
void deferAction(ThreadState *T, ActionFn Fn, void *Arg);
// The same for a call with widened arguments.
void deferCall(ThreadState *T, const ActionCall &Call);

// Appends an action record (UndoActionTag or DeferredActionTag) with the
// call's arguments as payload; returns the action record's index.
size_t logCall(ThreadState *T, uintptr_t Tag, const ActionCall &Call);
// Runs the action recorded at Records[Index] (with its payload records,
// which precede it, if any): records of a log, or copied out of one.
void runRecordedAction(const UndoRecord *Records, size_t Index);
inline void runRecordedAction(const UndoLog &Log, size_t Index) {
  runRecordedAction(&Log[0], Index);
}

// The id writes are attributed to when only the lowest Depth domains of T
// are live (ignoring those the runtime is tearing down).
DomainId idBelow(ThreadState *T, unsigned Depth);
// Whether Id is one of T's active domains.
bool isOnStack(ThreadState *T, DomainId Id);

// Where and why a recovery event was raised, for reports.
struct FaultSite {
  const char *Reason = "";
  const char *File = nullptr;
  unsigned Line = 0;
  const char *Function = nullptr;
};

// Rolls back the innermost domain of T, and every domain on any thread
// that depends on it, and resumes at its landing pad; with none, or inside
// an unlogged domain, reports and aborts.
[[noreturn]] void raiseFault(ThreadState *T, const FaultSite &Site);

// Another thread rolled back some of T's domains: finish (undo actions,
// words to write again) and jump to the landing pad.
[[noreturn]] void finishRollback(ThreadState *T);

// A checker's error noted for T (checker_triggers.cpp) becomes a fault.
[[noreturn]] void raiseCheckerFault(ThreadState *T);

// The thread state, for a runtime entry point that is a safe point: a
// rollback another thread left pending for this one, or a fault a checker
// reported, happens here.
inline ThreadState *enterRuntime() {
  ThreadState *T = thread();
  if (__builtin_expect(T->RollbackPending.load(std::memory_order_acquire), 0))
    finishRollback(T);
  if (__builtin_expect(T->CheckerFault.load(std::memory_order_acquire), 0))
    raiseCheckerFault(T);
  return T;
}

const char *kindName(akeso_domain_kind K);

// Signal handlers and the assert() hook (fault_triggers.cpp).
void installFaultTriggers();

// Marks the runtime busy with T's domains below the current depth: undo
// and deferred actions it runs are not part of them.
class RuntimeSection {
public:
  explicit RuntimeSection(ThreadState *T)
      : T(T), SavedFloor(T->RuntimeFloor), SavedBusy(T->InRuntime) {
    T->RuntimeFloor = T->Depth;
    T->InRuntime = true;
  }
  ~RuntimeSection() {
    T->RuntimeFloor = SavedFloor;
    T->InRuntime = SavedBusy;
  }

private:
  ThreadState *T;
  unsigned SavedFloor;
  bool SavedBusy;
};

} // namespace akeso::rt

#endif
