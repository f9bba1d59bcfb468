//===- commit.cpp - completing domains and the commit protocol ------------===//
//
// 004 §4.3.  A domain that exits with no live dependence edges commits on
// the spot without touching anything shared but its own version records:
// the common case of requests that share nothing speculative.  One that
// still depends on a speculative domain becomes Completed and waits on the
// completed list; its records stay in its thread's log.  Every commit of a
// domain others depended on (HasDependents) retries the completed list.
//
// Retrying looks at the transitive closure lazily: a walk from the
// completed domain through completed ones either reaches an active
// (speculative) domain, and the domain keeps only edges to the active
// domains it reached (§5.1.2), or it does not, and then everything it
// reached, cycles among completed domains included, commits as one group:
// the collapsed cycle of the paper.
//
// Deferred actions run after the graph lock is released, on the thread
// that committed the domain, outside any domain (they may begin domains of
// their own, which may need the lock).
//
//===----------------------------------------------------------------------===//
#include "commit.h"

#include "fault_injection.h"
#include "options.h"
#include "report.h"
#include "stop_world.h"

namespace akeso::rt {

namespace {

// Scratch for graph walks, under the graph lock.
DomainNode **WalkStack = nullptr;
DomainNode **Reached = nullptr;
DomainNode **ActiveReached = nullptr;
uint64_t WalkEpoch = 0;

void ensureScratch() {
  if (WalkStack)
    return;
  WalkStack = static_cast<DomainNode **>(
      platform::reserveZeroed(MaxNodes * sizeof(DomainNode *)));
  Reached = static_cast<DomainNode **>(
      platform::reserveZeroed(MaxNodes * sizeof(DomainNode *)));
  ActiveReached = static_cast<DomainNode **>(
      platform::reserveZeroed(MaxNodes * sizeof(DomainNode *)));
  if (!WalkStack || !Reached || !ActiveReached)
    fatal("cannot reserve memory for the dependence graph");
}

// Rewriting a domain's version records (to 0 on commit, to the parent's
// id on merge) races with another thread's first write of one of those
// words: the rewrite could land on that domain's fresh record, and its
// later writes and readers would take the word for committed.  A locked
// compare-exchange per word prevents that but was most of the commit's
// cost.  Instead the domain is marked Releasing around the rewrite (a
// store and a fence per domain); a first write whose previous writer is
// marked waits for the mark to drop and stores its own id again if the
// rewrite overwrote it (memory_hooks.cpp, settleReleasedWord).  Each side
// stores, fences, then loads the other's word, so at least one sees the
// other.
class ReleasingVersions {
public:
  explicit ReleasingVersions(DomainNode *N) : N(N) {
    // A locked exchange orders the store before the loads that follow as
    // a fence would, and costs a fraction of an mfence on x86.
    N->Releasing.exchange(1, std::memory_order_seq_cst);
  }
  ~ReleasingVersions() { N->Releasing.store(0, std::memory_order_release); }

private:
  DomainNode *N;
};

inline void releaseVersion(uintptr_t Word, DomainId From, DomainId To) {
  if (VersionSlot *Slot = Versions.find(Word))
    if (Slot->load(std::memory_order_relaxed) == From)
      Slot->store(To, std::memory_order_relaxed);
}

// Marks N's words non-speculative.  Returns whether a reversible domain
// nested in N still waits to commit (its records must stay in the log).
bool releaseVersions(UndoLog &Log, size_t Start, size_t End, DomainId Id) {
  ReleasingVersions Mark(nodeOf(Id));
  bool PendingInside = false;
  for (size_t I = Start; I < End; ++I) {
    const UndoRecord &R = Log[I];
    if (R.isSegmentBegin() && R.Old != 0) {
      if (resolve(R.OldMeta))
        PendingInside = true;
      I = size_t(R.Old) - 1;
      continue;
    }
    if (R.isWord())
      releaseVersion(R.Target, Id, 0);
  }
  return PendingInside;
}

void runDeferred(ThreadState *T, UndoLog &Log, size_t Start, size_t End) {
  RuntimeSection Busy(T);
  DomainId Saved = T->CurrentId;
  // A committed domain's releases are not part of whatever this thread is
  // running now.
  setCurrentDomain(T, 0);
  forEachOwnRecord(Log, Start, End, [&](size_t I, UndoRecord &R) {
    if (R.isDeferredAction()) {
      T->Counters.DeferredActionsRun.add();
      runRecordedAction(Log, I);
    }
  });
  setCurrentDomain(T, Saved);
}

void unlinkCompleted(DomainNode *N) {
  for (DomainNode **P = &completedList(); *P; P = &(*P)->NextCompleted)
    if (*P == N) {
      *P = N->NextCompleted;
      N->NextCompleted = nullptr;
      return;
    }
}

// Under the graph lock.  Walks from the completed domain Root through
// completed domains.  If an active one is reachable, prunes Root's edges to
// the active domains reached and returns true; otherwise fills Reached with
// the group that can commit and returns false.
bool blocked(DomainNode *Root, size_t &GroupSize) {
  ensureScratch();
  const uint64_t Epoch = ++WalkEpoch;
  size_t Top = 0, Groups = 0, Actives = 0;
  Root->VisitEpoch = Epoch;
  WalkStack[Top++] = Root;
  Reached[Groups++] = Root;
  while (Top) {
    DomainNode *X = WalkStack[--Top];
    for (size_t I = 0, E = X->Edges.size(); I < E; ++I) {
      DomainNode *Y = resolve(X->Edges.at(I));
      if (!Y || Y->VisitEpoch == Epoch)
        continue;
      Y->VisitEpoch = Epoch;
      if (Y->State.load(std::memory_order_acquire) == NodeState::Completed) {
        WalkStack[Top++] = Y;
        Reached[Groups++] = Y;
      } else {
        ActiveReached[Actives++] = Y;
      }
    }
  }
  if (Actives == 0) {
    GroupSize = Groups;
    return false;
  }
  Root->EdgeLock.lock();
  Root->Edges.clear();
  for (size_t I = 0; I < Actives; ++I)
    Root->Edges.add(ActiveReached[I]->Id.load(std::memory_order_relaxed));
  Root->EdgeLock.unlock();
  return true;
}

// Under the graph lock: commits Reached[0..Size) as a group.
void commitGroup(ThreadState *T, size_t Size) {
  for (size_t I = 0; I < Size; ++I) {
    DomainNode *X = Reached[I];
    unlinkCompleted(X);
    releaseVersions(X->Owner->Log, X->LogStart, X->LogEnd,
                    X->Id.load(std::memory_order_relaxed));
    X->State.store(NodeState::Committed, std::memory_order_seq_cst);
    // The committing thread runs the deferred actions (finishCommitted).
    X->NextCompleted = T->ToFinish;
    T->ToFinish = X;
    if (Flags.Verbosity >= 2)
      report("commit waiting %s domain '%s' (id %#llx)", kindName(X->Kind),
             X->Name, (unsigned long long)X->Id.load());
  }
}

// Under the graph lock: commits every completed domain that no longer
// depends on a speculative one.
// One pass usually suffices: a domain's group holds every completed domain
// it reaches, so a chain commits with its newest member.  (Restarting from
// the head after every commit made this quadratic in the number of
// completed domains, which reaches tens of thousands when a long request
// holds many others back.)
void retryCompleted(ThreadState *T) {
  for (bool Progress = true; Progress;) {
    Progress = false;
    for (DomainNode *X = completedList(); X;) {
      DomainNode *Next = X->NextCompleted;
      size_t Size = 0;
      if (blocked(X, Size)) {
        X = Next;
        continue;
      }
      commitGroup(T, Size);
      Progress = true;
      // The group may have taken Next off the list (its link now chains
      // the domains to finish): go on from the head then.
      X = Next && Next->State.load(std::memory_order_relaxed) ==
                      NodeState::Completed
              ? Next
              : completedList();
    }
  }
}

// After the graph lock is released: the deferred actions of the domains
// committed meanwhile.
void finishCommitted(ThreadState *T) {
  while (DomainNode *X = T->ToFinish) {
    T->ToFinish = X->NextCompleted;
    runDeferred(T, X->Owner->Log, X->LogStart, X->LogEnd);
    T->Counters.DomainsCommitted.add();
    ThreadState *Owner = X->Owner;
    bool Detached = X->Detached;
    freeNode(X);
    if (Detached)
      Owner->DetachedSegments.fetch_sub(1, std::memory_order_acq_rel);
  }
}

// Stack words of a domain whose frames are gone cannot be restored (the
// thread reuses that stack); marking them committed keeps the thread's
// next domains from depending on their dead contents.
void releaseStackWords(ThreadState *T, DomainNode *N) {
  ReleasingVersions Mark(N);
  forEachOwnRecord(T->Log, N->LogStart, N->LogEnd,
                   [&](size_t, UndoRecord &R) {
                     if (R.isWord() && R.Target >= T->StackLow &&
                         R.Target < T->StackHigh)
                       releaseVersion(R.Target, N->Id.load(), 0);
                   });
}

} // namespace

void mergeIntoParent(ThreadState *T, DomainNode *Child, size_t Start,
                     DomainNode *Parent) {
  const DomainId ChildId = Child->Id.load(std::memory_order_relaxed);
  const DomainId ParentId = Parent->Id.load(std::memory_order_relaxed);
  CriticalSection Section(T);
  {
    ReleasingVersions Mark(Child);
    forEachOwnRecord(T->Log, Start, T->Log.size(), [&](size_t, UndoRecord &R) {
      if (R.isWord())
        releaseVersion(R.Target, ChildId, ParentId);
    });
  }
  for (size_t I = 0, E = Child->Edges.size(); I < E; ++I) {
    DomainNode *X = resolve(Child->Edges.at(I));
    if (!X || X == Parent)
      continue;
    DomainId XId = X->Id.load(std::memory_order_relaxed);
    if (isOnStack(T, XId) || Parent->Edges.contains(XId))
      continue;
    Parent->EdgeLock.lock();
    Parent->Edges.add(XId);
    Parent->EdgeLock.unlock();
  }
  if (Child->Output && !Parent->Output) {
    Parent->Output = Child->Output;
    Parent->OutputFd = Child->OutputFd;
  }
  Child->MergedInto.store(ParentId, std::memory_order_release);
  Child->State.store(NodeState::Merged, std::memory_order_seq_cst);
  if (Child->HasDependents.load(std::memory_order_seq_cst))
    Parent->HasDependents.store(true, std::memory_order_seq_cst);
  else
    freeNode(Child);
  T->Counters.DomainsMerged.add();
}

namespace {

// After a domain committed on the spot and its deferred actions ran: drop
// its records, keeping the inverse logged for its parent (the last
// InverseRecords records) by moving it down.  Inside a critical section.
void dropCommittedRecords(ThreadState *T, size_t Start, size_t End,
                          size_t InverseRecords, bool PendingInside) {
  if (!PendingInside && T->Log.size() == End + InverseRecords) {
    for (size_t I = 0; I < InverseRecords; ++I)
      T->Log[Start + I] = T->Log[End + I];
    T->Log.truncate(Start + InverseRecords);
    return;
  }
  // Something stayed behind (a nested reversible domain still waiting, or
  // a domain a deferred action left completed): neutralize instead.
  forEachOwnRecord(T->Log, Start, End, [](size_t, UndoRecord &R) {
    if (!R.isSegmentEnd())
      R.Target = UndoRecord::CancelledTag;
  });
}

size_t logInverse(ThreadState *T, DomainNode *Parent,
                  const ActionCall *Inverse) {
  if (!Inverse || !Parent)
    return 0;
  logCall(T, UndoRecord::UndoActionTag, *Inverse);
  return Inverse->Count + 1;
}

} // namespace

void completeDomain(ThreadState *T, Domain &D, DomainNode *Parent,
                    const ActionCall *Inverse) {
  DomainNode *N = D.Node;
  const DomainId Id = D.Id;
  const size_t Start = D.LogStart, First = N->LogStart;
  const DomainId ParentId =
      Parent ? Parent->Id.load(std::memory_order_relaxed) : 0;
  N->EdgeLock.lock();
  // A transparent domain's dependences are ignored; a reversible one's on
  // its own ancestors too (context independence, 004 §4.1.2); edges to
  // committed domains are satisfied.
  if (N->Kind == AKESO_TRANSPARENT)
    N->Edges.clear();
  else
    N->Edges.retain([&](DomainId E) {
      DomainNode *X = resolve(E);
      return X && X != N && !isOnStack(T, X->Id.load());
    });
  const bool NoEdges = N->Edges.size() == 0;
  N->EdgeLock.unlock();

  if (NoEdges) {
    const size_t End = T->Log.size();
    T->Depth--;
    setCurrentDomain(T, ParentId);
    const bool PendingInside = releaseVersions(T->Log, First, End, Id);
    freeNode(N);
    const bool Wake = N->HasDependents.load(std::memory_order_seq_cst);
    // Undo actions of a committed domain never run; its inverse (logged
    // now, before any rollback could miss it) stands for them.
    forEachOwnRecord(T->Log, First, End, [](size_t, UndoRecord &R) {
      if (R.isUndoAction() || R.isWord())
        R.Target = UndoRecord::CancelledTag;
    });
    const size_t InverseRecords = logInverse(T, Parent, Inverse);
    leaveCritical(T);
    runDeferred(T, T->Log, First, End);
    T->Counters.DomainsCommitted.add();
    enterCritical(T);
    dropCommittedRecords(T, Start, End, InverseRecords, PendingInside);
    leaveCritical(T);
    if (Wake) {
      lockGraph(T);
      retryCompleted(T);
      unlockGraph();
      finishCommitted(T);
    }
    return;
  }

  lockGraph(T);
  if (T->RollbackPending.load(std::memory_order_acquire)) {
    // Rolled back while waiting for the lock (it was still on the stack).
    unlockGraph();
    T->InCritical.store(0, std::memory_order_relaxed);
    finishRollback(T);
  }
  const size_t End = T->Log.size();
  N->LogEnd = End;
  N->State.store(NodeState::Completed, std::memory_order_seq_cst);
  T->Depth--;
  setCurrentDomain(T, ParentId);
  size_t GroupSize = 0;
  if (!blocked(N, GroupSize)) {
    // Everything it depends on completed meanwhile: commit with them.
    commitGroup(T, GroupSize);
    retryCompleted(T);
    forEachOwnRecord(T->Log, First, End, [](size_t, UndoRecord &R) {
      if (R.isUndoAction() || R.isWord())
        R.Target = UndoRecord::CancelledTag;
    });
    const size_t InverseRecords = logInverse(T, Parent, Inverse);
    unlockGraph();
    leaveCritical(T);
    finishCommitted(T);
    enterCritical(T);
    dropCommittedRecords(T, Start, End, InverseRecords, false);
    leaveCritical(T);
    return;
  }
  N->Detached = true;
  T->DetachedSegments.fetch_add(1, std::memory_order_acq_rel);
  T->Counters.DomainsWaited.add();
  releaseStackWords(T, N);
  if (Parent && N->SegmentBegin != NoIndex) {
    // Bracket the records, make the parent depend on the domain (if it is
    // rolled back because of another thread, so is the parent), and log
    // the inverse for the parent's rollback.
    T->Log.push(UndoRecord{UndoRecord::SegmentEndTag, N->SegmentBegin, Id});
    T->Log[N->SegmentBegin].Old = T->Log.size();
    Parent->EdgeLock.lock();
    Parent->Edges.add(Id);
    Parent->EdgeLock.unlock();
    N->HasDependents.store(true, std::memory_order_seq_cst);
    if (Inverse)
      N->InverseRecord = logCall(T, UndoRecord::UndoActionTag, *Inverse);
  } else {
    logInverse(T, Parent, Inverse);
  }
  N->NextCompleted = completedList();
  completedList() = N;
  if (Flags.Verbosity >= 2)
    report("%s domain '%s' (id %#llx) completed; waits for %zu speculative "
           "domain(s) to commit",
           kindName(N->Kind), N->Name, (unsigned long long)Id,
           N->Edges.size());
  unlockGraph();
  leaveCritical(T);
}

} // namespace akeso::rt
