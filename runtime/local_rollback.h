//===- local_rollback.h - undo one domain's log on its own thread ---------===//
//
// The engine's rollback (rollback.cpp, raiseFault) is general: it stops the
// world, closes over every domain on any thread that depends on the
// faulting one, and pops the domain.  A guess failure usually needs none of
// that: the innermost domain is the choice point's, nobody read its
// writes, and the next extension wants an identical domain at once.  This
// is that fast path; callers fall back to raiseFault when it declines.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_LOCAL_ROLLBACK_H
#define AKESO_RUNTIME_LOCAL_ROLLBACK_H

#include "thread_state.h"

namespace akeso::rt {

// Undoes the innermost domain of T (a logged basic domain) in place:
// memory words newest first, their version records, then its undo actions
// (allocation releases, cancelled frees) newest first; its deferred actions
// are dropped.  The domain stays on T's stack, active, with the same id
// and an empty log suffix, as if just begun.  Declines (returns false,
// changing nothing) unless it is certainly equivalent to raiseFault: no
// other domain depends on it or wrote its words (or T is the only thread),
// it formed no dependence edges, its log holds no nested reversible
// domain's records, and its landing pad is on T's own stack.
bool resetInnermostDomain(ThreadState *T);

// Pops the innermost domain of T, which resetInnermostDomain just emptied,
// and frees its record, as if raiseFault had rolled it back.  (Ending it
// instead would merge it into its parent, leaving a merged record alive
// until the outermost domain commits: one per guess point of a search.)
void discardEmptyInnermostDomain(ThreadState *T);

// Whether T is the only thread the runtime knows of: then no other thread
// wrote any word (a thread is registered before its first write).
bool aloneInProcess(ThreadState *T);

// The id a restored version record holds: the previous writer Previous
// (a log record's OldMeta), or what it merged into, or 0 once that has
// committed (as rollback.cpp does).
DomainId liveWriter(DomainId Previous);

} // namespace akeso::rt

#endif
