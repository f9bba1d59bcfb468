//===- local_rollback.cpp - undo one domain's log on its own thread -------===//
//
// Why it is equivalent to raiseFault for the domains it accepts: with no
// dependents and no other thread that wrote one of its words, the set R of
// rollback.cpp is the domain alone, every word it logged still names it
// (or a basic domain merged into it, relabelled at the merge) as last
// writer, so step 2 restores each record in place with no splicing, and
// there is nothing to tell other threads.  What differs is only what
// happens to the domain: raiseFault pops it and frees its record, the
// caller then begins a new one; here it stays, emptied.  Its record must
// then carry nothing of the failed extension: no edges (declined if any),
// no output note (cleared).
//
//===----------------------------------------------------------------------===//
#include "local_rollback.h"

#include "commit.h"
#include "domains.h"
#include "fault_injection.h"
#include "report.h"

#include <cstring>

namespace akeso::rt {

bool aloneInProcess(ThreadState *T) {
  ThreadState *First = firstThread();
  return First == T && T->NextInRegistry == nullptr;
}

DomainId liveWriter(DomainId Previous) {
  if (Previous == 0)
    return 0;
  DomainNode *N = resolve(Previous);
  return N ? N->Id.load(std::memory_order_relaxed) : 0;
}

bool resetInnermostDomain(ThreadState *T) {
  if (T->Depth == 0 || T->InRuntime ||
      T->RollbackPending.load(std::memory_order_acquire))
    return false;
  Domain &D = T->Stack[T->Depth - 1];
  DomainNode *Node = D.Node;
  if (D.Kind != AKESO_BASIC || !Node || Node->Edges.size() != 0)
    return false;
  const bool Alone = aloneInProcess(T);
  // HasDependents is also set by reads of domains nested in this one on
  // this thread (formEdge marks the writer before it sees the reader is
  // nested, and forms no edge).  Alone, the only other possible dependent
  // is a completed domain waiting to commit: with none waiting, the flag
  // is one of those.
  if (Node->HasDependents.load(std::memory_order_seq_cst) &&
      (!Alone || completedList() != nullptr))
    return false;
  // Stack words below the landing pad's frame die with the jump (the
  // runtime runs there now); only a pad on this thread's stack is known.
  const uintptr_t DeadLow = T->StackLow, DeadHigh = D.LandingStackTop;
  if (!T->StackHigh || DeadHigh <= DeadLow || DeadHigh > T->StackHigh)
    return false;
  const size_t Start = D.LogStart, End = T->Log.size();
  const DomainId Id = D.Id;
  bool HasActions = false;
  for (size_t I = Start; I < End; ++I) {
    const UndoRecord &R = T->Log[I];
    if (R.isSegmentBegin() || R.isSegmentEnd())
      return false; // a nested reversible domain: raiseFault knows those
    if (!R.isWord()) {
      HasActions |= R.isUndoAction();
      continue;
    }
    if (!Alone) {
      VersionSlot *Slot = Versions.find(R.Target);
      if (!Slot || Slot->load(std::memory_order_acquire) != Id)
        return false; // another domain wrote it since: splicing needed
    }
  }
  // Memory and version records, newest first: where the domain (and the
  // domains merged into it) logged a word twice, the oldest record wins.
  // Most records name the same previous writer (the enclosing guess
  // point's domain): resolve it once.
  DomainId LastPrevious = 0, LastWriter = 0;
  for (size_t I = End; I-- > Start;) {
    const UndoRecord &R = T->Log[I];
    if (!R.isWord())
      continue;
    if (R.Target < DeadLow || R.Target >= DeadHigh)
      __atomic_store_n(reinterpret_cast<uint64_t *>(R.Target), R.Old,
                       __ATOMIC_RELAXED);
    if (R.OldMeta != LastPrevious) {
      LastPrevious = R.OldMeta;
      LastWriter = liveWriter(LastPrevious);
    }
    Versions.slot(R.Target).store(LastWriter, std::memory_order_release);
  }
  if (HasActions) {
    // Outside the domain (as raiseFault runs them, after popping it): an
    // action that begins a domain nests below, and its writes are not the
    // failed extension's.  Such a domain would reuse D's stack entry, which
    // is kept aside meanwhile.
    const unsigned Depth = T->Depth;
    Domain Saved;
    memcpy(static_cast<void *>(&Saved), &D, sizeof(Domain));
    size_t Actions = 0;
    T->Depth = Depth - 1;
    {
      RuntimeSection Busy(T);
      setCurrentDomain(T, 0);
      forEachOwnRecordReverse(T->Log, Start, End, [&](size_t I, UndoRecord &R) {
        if (R.isUndoAction()) {
          ++Actions;
          runRecordedAction(T->Log, I);
        }
      });
    }
    memcpy(static_cast<void *>(&D), &Saved, sizeof(Domain));
    T->Depth = Depth;
    T->Counters.UndoActionsRun.add(Actions);
  }
  T->Log.truncate(Start);
  setCurrentDomain(T, Id);
  Node->Output = nullptr;
  T->EdgeCacheFrom = T->EdgeCacheTo = 0;
  T->CheckerFault.store(false, std::memory_order_relaxed);
  T->Counters.DomainsRolledBack.add();
  return true;
}

void discardEmptyInnermostDomain(ThreadState *T) {
  Domain &D = T->Stack[T->Depth - 1];
  if (T->Log.size() != D.LogStart || !D.Node)
    fatal("internal error: discarding domain '%s', which is not empty",
          D.Name);
  lockGraph(T);
  freeNode(D.Node);
  unlockGraph();
  T->Depth--;
  setCurrentDomain(T, idBelow(T, T->Depth));
  T->EdgeCacheFrom = T->EdgeCacheTo = 0;
}

} // namespace akeso::rt
