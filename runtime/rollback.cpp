//===- rollback.cpp - rolling back a domain and everything that depends on it
//
// 004 §3.5, §4.4.  A fault in domain D rolls back D, every domain nested in
// it, and every domain on any thread that transitively depends on one of
// them: active ones (which resume at their landing pads, as if their entry
// returned the error value) and completed ones still waiting to commit
// (whose callers already saw them return; their effects are undone).
//
// The steps, with every other thread halted (stop_world.h) and the graph
// lock held:
//   1. the set R: the faulting domain's part of its thread's stack, then,
//      while any member has dependents, every domain with an edge into R
//      (for an active one, the rest of its thread's stack above it too);
//   2. memory: each member's log is undone newest first.  A word is
//      restored by the record of the domain its version record names, so
//      where several members wrote a word the value from before the
//      earliest of them wins whatever order the members are visited in; a
//      record whose word was since written by a domain outside R is spliced
//      into that domain's record instead (that write stands, and its own
//      rollback later restores the value from before both);
//   3. a member's inverse logged with its parent is cancelled (the
//      reversible domain itself was undone).
// Then the world resumes.  Undo actions (allocation releases, lock
// releases, inverses) run outside the stop: those of completed members on
// this thread, those of another thread's active members on that thread, at
// its next safe point (pausing signals never jump, so a thread interrupted
// inside libc is never unwound from there).
//
// A thread interrupted in compiled code may be between the fast path's
// check of a version record and its store: that one store can still land
// on a word the rollback restored.  So that thread's restored words are
// claimed (ClaimedSlot) and it writes their final values again when it
// reaches its safe point; other threads' accesses to them wait until then.
//
//===----------------------------------------------------------------------===//
#include "commit.h"
#include "domains.h"
#include "fault_injection.h"
#include "options.h"
#include "release_limbo.h"
#include "report.h"
#include "stop_world.h"

#include <cstdio>
#include <cstring>

namespace akeso::rt {

namespace {

// More stack than one domain's frames can span on any thread stack we
// expect: a landing pad farther above the stack pointer than this is on
// another stack.
constexpr uintptr_t MaxDomainStack = uintptr_t(1) << 30;
// More stack than the rollback's own frames use below the point where the
// dead region is computed.
constexpr uintptr_t RuntimeStackSlack = uintptr_t(64) << 10;

struct Unit {
  ThreadState *Owner = nullptr;
  DomainNode *Completed = nullptr; // null: active domains of Owner
  unsigned Depth = 0;              // active: first rolled-back stack index
  size_t Start = 0, End = 0, Cursor = 0;
  // Active units of threads halted in compiled code: where their flags
  // (LastWriter) begin.
  size_t FlagBase = 0;
  // Stack words that are not written back: frames that die with the jump
  // (active) or that no longer exist (completed).
  uintptr_t DeadLow = 0, DeadHigh = 0;
};

Unit *Units = nullptr;
size_t UnitCount = 0;
// Per record of such a unit: whether the unit's thread wrote the word last
// (before the restore).  Only that thread can have a store to it in flight.
uint8_t *LastWriter = nullptr;
constexpr size_t MaxFlags = size_t(1) << 32; // address space, touched lazily
DomainNode **Members = nullptr;
size_t MemberCount = 0;
constexpr size_t MaxUnits = size_t(1) << 20;

void ensureScratch() {
  if (Units)
    return;
  Units = static_cast<Unit *>(platform::reserveZeroed(MaxUnits * sizeof(Unit)));
  Members = static_cast<DomainNode **>(
      platform::reserveZeroed(MaxNodes * sizeof(DomainNode *)));
  LastWriter = static_cast<uint8_t *>(platform::reserveZeroed(MaxFlags));
  if (!Units || !Members || !LastWriter)
    fatal("cannot reserve memory for a rollback");
}

void describe(const char *Name, const akeso_domain_desc *Desc, char *Out,
              size_t Size) {
  if (Desc && Desc->file && Desc->file[0])
    snprintf(Out, Size, "'%s' (%s:%u)", Name, Desc->file, Desc->line);
  else
    snprintf(Out, Size, "'%s'", Name);
}


void mark(DomainNode *N, size_t Unit) {
  N->State.store(NodeState::RollingBack, std::memory_order_seq_cst);
  N->UnitIndex = Unit;
  Members[MemberCount++] = N;
}

size_t newUnit() {
  if (UnitCount == MaxUnits)
    fatal("a rollback involves more than %zu domains", MaxUnits);
  Units[UnitCount] = Unit();
  return UnitCount++;
}

// Adds T's logged domains from stack index Depth up to R (Self: the
// faulting thread, whose own stack pointer bounds its dead frames).
void addActive(ThreadState *T, unsigned Depth, ThreadState *Self) {
  size_t U = UnitCount;
  for (size_t I = 0; I < UnitCount; ++I)
    if (Units[I].Owner == T && !Units[I].Completed)
      U = I;
  if (U == UnitCount) {
    U = newUnit();
    Units[U].Owner = T;
    Units[U].Depth = T->Depth;
  }
  Unit &X = Units[U];
  if (Depth >= X.Depth)
    return;
  for (unsigned I = Depth; I < X.Depth; ++I)
    if (DomainNode *N = T->Stack[I].Node)
      if (N->State.load(std::memory_order_relaxed) != NodeState::RollingBack)
        mark(N, U);
  X.Depth = Depth;
  X.Start = X.Cursor = T->Stack[Depth].LogStart;
  X.End = X.Cursor = T->Log.size();
  // The landing pad's frame and everything below it on its stack die with
  // the jump.  On the thread's own stack that is [stack bottom, Top).  A
  // landing pad on another stack (a coroutine) is bounded by the stack
  // pointer instead: below it is unused stack, except for the runtime's own
  // frames during this rollback (RuntimeStackSlack).  A landing pad farther
  // away than MaxDomainStack is on a stack the thread has switched away from;
  // nothing here is dead.
  const uintptr_t Top = T->Stack[Depth].LandingStackTop;
  const uintptr_t SP = T == Self ? platform::stackPointer()
                                 : T->PausedStackPointer;
  if (T->StackHigh && Top > T->StackLow && Top <= T->StackHigh) {
    X.DeadLow = T->StackLow;
    X.DeadHigh = Top;
  } else if (SP < Top && Top - SP < MaxDomainStack) {
    X.DeadLow = SP > RuntimeStackSlack ? SP - RuntimeStackSlack : 0;
    X.DeadHigh = Top;
  }
}

void addCompleted(DomainNode *N) {
  size_t U = newUnit();
  Unit &X = Units[U];
  X.Owner = N->Owner;
  X.Completed = N;
  X.Start = N->LogStart;
  X.End = X.Cursor = N->LogEnd;
  // Its frames are gone and the thread reuses that stack.
  X.DeadLow = N->Owner->StackLow;
  X.DeadHigh = N->Owner->StackHigh;
  mark(N, U);
}

bool dependsOnMember(DomainNode *N) {
  for (size_t I = 0, E = N->Edges.size(); I < E; ++I) {
    DomainNode *X = resolve(N->Edges.at(I));
    if (X && X->State.load(std::memory_order_relaxed) == NodeState::RollingBack)
      return true;
  }
  return false;
}

// Step 1 beyond the seed: every domain depending on a member joins.  Only
// live domains can: the active ones on each thread's domain stack and the
// completed ones waiting to commit (all on the completed list).
void closeOverDependents(ThreadState *Self) {
  for (size_t Scanned = 0;;) {
    bool Any = false;
    for (; Scanned < MemberCount; ++Scanned)
      Any |= Members[Scanned]->HasDependents.load(std::memory_order_seq_cst);
    if (!Any)
      return;
    for (ThreadState *T = firstThread(); T; T = T->NextInRegistry)
      for (unsigned I = 0; I < T->Depth; ++I) {
        DomainNode *N = T->Stack[I].Node;
        if (!N || N->State.load(std::memory_order_acquire) != NodeState::Active)
          continue;
        if (dependsOnMember(N)) {
          // The domains nested in it go with it.
          addActive(T, I, Self);
          break;
        }
      }
    for (DomainNode **P = &completedList(); *P;) {
      DomainNode *N = *P;
      if (N->State.load(std::memory_order_acquire) == NodeState::Completed &&
          dependsOnMember(N)) {
        *P = N->NextCompleted;
        addCompleted(N);
      } else {
        P = &N->NextCompleted;
      }
    }
  }
}

DomainId normalize(DomainId Prev) {
  if (Prev == 0)
    return 0;
  DomainNode *N = resolve(Prev);
  return N ? N->Id.load(std::memory_order_relaxed) : 0;
}

// The member that owns the word's current version, if any.
DomainNode *memberWriting(DomainId Slot) {
  if (Slot == 0 || Slot == ClaimedSlot)
    return nullptr;
  DomainNode *N = nodeOf(Slot);
  if (N->Id.load(std::memory_order_relaxed) != Slot ||
      N->State.load(std::memory_order_relaxed) != NodeState::RollingBack)
    return nullptr;
  return N;
}

// A live domain outside R wrote Word after the member whose record R is:
// that domain's record of Word now stands for the value before both.
void splice(DomainId Writer, const UndoRecord &R) {
  DomainNode *Y = resolve(Writer);
  if (!Y)
    return;
  ThreadState *Owner = Y->Owner;
  size_t End = Y->State.load(std::memory_order_relaxed) == NodeState::Completed
                   ? Y->LogEnd
                   : Owner->Log.size();
  for (size_t I = Y->LogStart; I < End; ++I) {
    UndoRecord &Z = Owner->Log[I];
    if (Z.Target == R.Target) {
      Z.Old = R.Old;
      Z.OldMeta = R.OldMeta;
      return;
    }
  }
}

// A word claimed by a thread that an earlier rollback left to finish: its
// version is in that thread's record of the word (which it will write back).
UndoRecord *findClaim(uintptr_t Word) {
  for (ThreadState *T = firstThread(); T; T = T->NextInRegistry) {
    if (!T->RollbackPending.load(std::memory_order_relaxed) ||
        !T->RollbackRewrite)
      continue;
    const size_t Start = T->Stack[T->RollbackDepth].LogStart;
    for (size_t I = Start, E = T->Log.size(); I < E; ++I)
      if (T->Log[I].Target == Word)
        return &T->Log[I];
  }
  return nullptr;
}

// Step 2.  Returns the number of words written back.
size_t restoreMemory() {
  size_t Restored = 0, Remaining = 0;
  for (size_t U = 0; U < UnitCount; ++U) {
    Units[U].Cursor = Units[U].End;
    if (Units[U].Cursor > Units[U].Start)
      ++Remaining;
  }
  while (Remaining) {
    bool Progress = false;
    for (size_t U = 0; U < UnitCount; ++U) {
      Unit &X = Units[U];
      if (X.Cursor == X.Start)
        continue;
      UndoLog &Log = X.Owner->Log;
      while (X.Cursor > X.Start) {
        const size_t I = X.Cursor - 1;
        const UndoRecord &R = Log[I];
        if (R.isSegmentEnd()) {
          // A completed reversible domain nested here: its records are
          // its own (it is a member itself if it must be undone).
          X.Cursor = R.Old > X.Start ? size_t(R.Old) : X.Start;
          Progress = true;
          continue;
        }
        if (!R.isWord()) {
          X.Cursor = I;
          Progress = true;
          continue;
        }
        VersionSlot &Slot = Versions.slot(R.Target);
        DomainId Writer = Slot.load(std::memory_order_acquire);
        UndoRecord *Claim = nullptr;
        if (Writer == ClaimedSlot) {
          Claim = findClaim(R.Target);
          Writer = Claim ? Claim->OldMeta : 0;
        }
        DomainNode *M = memberWriting(Writer);
        if (M && M->UnitIndex != U)
          break; // a later write by another member goes first
        if (M) {
          if (R.Target < X.DeadLow || R.Target >= X.DeadHigh)
            __atomic_store_n(reinterpret_cast<uint64_t *>(R.Target), R.Old,
                             __ATOMIC_RELAXED);
          if (Claim) {
            Claim->Old = R.Old;
            Claim->OldMeta = normalize(R.OldMeta);
          } else {
            Slot.store(normalize(R.OldMeta), std::memory_order_release);
          }
          ++Restored;
        } else if (Writer != 0) {
          splice(Writer, R);
        }
        X.Cursor = I;
        Progress = true;
      }
      if (X.Cursor == X.Start)
        --Remaining;
    }
    if (!Progress && Remaining)
      fatal("internal error: rollback found no order to restore %zu "
            "domains' writes in",
            Remaining);
  }
  return Restored;
}

bool claimsWords(const Unit &X, ThreadState *Self) {
  return !X.Completed && X.Owner != Self && X.Owner->PausedInUserCode;
}

// Before the restore: which of the records of threads halted in compiled
// code are for words their thread wrote last.  A thread halted between the
// inline check of a word's version and its store can only be about to
// store to a word its own domain wrote last.
void markLastWriters(ThreadState *Self) {
  size_t Next = 0;
  for (size_t U = 0; U < UnitCount; ++U) {
    Unit &X = Units[U];
    if (!claimsWords(X, Self))
      continue;
    if (Next + (X.End - X.Start) > MaxFlags)
      fatal("a rollback involves more than %zu logged records", MaxFlags);
    X.FlagBase = Next;
    Next += X.End - X.Start;
    UndoLog &Log = X.Owner->Log;
    for (size_t I = X.Start; I < X.End; ++I) {
      const UndoRecord &R = Log[I];
      bool Last = false;
      if (R.isWord()) {
        DomainId Writer = Versions.slot(R.Target).load(std::memory_order_acquire);
        if (Writer == ClaimedSlot) {
          const UndoRecord *Claim = findClaim(R.Target);
          Last = Claim == &R;
        } else if (DomainNode *M = memberWriting(Writer)) {
          Last = M->UnitIndex == U;
        }
      }
      LastWriter[X.FlagBase + (I - X.Start)] = Last;
    }
  }
}

// The words of T's active part of R that T wrote last get written again by
// T itself.
void claimWords(const Unit &X) {
  UndoLog &Log = X.Owner->Log;
  forEachOwnRecord(Log, X.Start, X.End, [&](size_t I, UndoRecord &R) {
    if (!R.isWord())
      return;
    VersionSlot &Slot = Versions.slot(R.Target);
    DomainId Now = Slot.load(std::memory_order_acquire);
    if (Now == ClaimedSlot && findClaim(R.Target) == &R)
      return; // claimed for this thread by an earlier rollback, still pending
    if ((R.Target >= X.DeadLow && R.Target < X.DeadHigh) ||
        Now == ClaimedSlot || !LastWriter[X.FlagBase + (I - X.Start)]) {
      R.Target = UndoRecord::CancelledTag;
      return;
    }
    R.Old = __atomic_load_n(reinterpret_cast<uint64_t *>(R.Target),
                            __ATOMIC_RELAXED);
    R.OldMeta = Now;
    Slot.store(ClaimedSlot, std::memory_order_release);
  });
}

// The undo actions of the records [Start, End) of Log, newest first.
size_t runUndoActions(ThreadState *T, UndoLog &Log, size_t Start, size_t End) {
  size_t Actions = 0;
  RuntimeSection Busy(T);
  DomainId Saved = T->CurrentId;
  setCurrentDomain(T, 0);
  forEachOwnRecordReverse(Log, Start, End, [&](size_t I, UndoRecord &R) {
    if (R.isReleaseAction()) {
      ++Actions;
      limboRelease(T, R.action(), R.argument());
    } else if (R.isUndoAction()) {
      ++Actions;
      runRecordedAction(Log, I);
    }
  });
  setCurrentDomain(T, Saved);
  T->Counters.UndoActionsRun.add(Actions);
  return Actions;
}

// Undo actions may begin domains that reuse the rolled-back domain's stack
// entry, so the landing pad is copied before any runs.
[[noreturn]] void jumpOut(ThreadState *T, unsigned Depth, size_t Start,
                          platform::JumpBuffer &Pad) {
  T->Log.truncate(Start);
  T->Depth = Depth;
  setCurrentDomain(T, idBelow(T, Depth));
  T->EdgeCacheFrom = T->EdgeCacheTo = 0;
  T->CheckerFault.store(false, std::memory_order_relaxed);
  platform::jumpToLandingPad(Pad);
}

} // namespace

void finishRollback(ThreadState *T) {
  const unsigned Depth = T->RollbackDepth;
  const size_t Start = T->Stack[Depth].LogStart, End = T->Log.size();
  char Name[600];
  describe(T->Stack[Depth].Name, T->Stack[Depth].Desc, Name, sizeof(Name));
  platform::JumpBuffer Pad;
  memcpy(&Pad, &T->Stack[Depth].LandingPad, sizeof(Pad));
  // The pending flag drops only once the claimed words are written again:
  // a rollback by another thread in between finds the claims through it.
  // (A critical section entered by hand: CriticalSection would call this
  // function again while the flag is up.)
  T->InCritical.store(T->InCritical.load(std::memory_order_relaxed) + 1,
                      std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (T->RollbackRewrite) {
    forEachOwnRecord(T->Log, Start, End, [&](size_t, UndoRecord &R) {
      if (!R.isWord())
        return;
      VersionSlot &Slot = Versions.slot(R.Target);
      if (Slot.load(std::memory_order_acquire) != ClaimedSlot)
        return;
      __atomic_store_n(reinterpret_cast<uint64_t *>(R.Target), R.Old,
                       __ATOMIC_RELAXED);
      Slot.store(R.OldMeta, std::memory_order_release);
    });
  }
  T->RollbackPending.store(false, std::memory_order_release);
  leaveCritical(T);
  T->Depth = Depth; // the undo actions run below the rolled-back domains
  size_t Actions = runUndoActions(T, T->Log, Start, End);
  limboPendingDone(T);
  T->Counters.DomainsRolledBack.add();
  if (Flags.Verbosity >= 1)
    report("domain %s rolled back: it depended on %s (%zu undo actions run) "
           "on thread %u",
           Name, T->RollbackReason, Actions, T->ThreadIndex);
  jumpOut(T, Depth, Start, Pad);
}

void raiseFault(ThreadState *T, const FaultSite &Site) {
  if (T->RollbackPending.load(std::memory_order_acquire))
    finishRollback(T);
  char Where[512] = "";
  if (Site.File)
    snprintf(Where, sizeof(Where), " at %s:%u%s%s", Site.File, Site.Line,
             Site.Function ? " in " : "", Site.Function ? Site.Function : "");
  if (T->InRuntime && T->Depth <= T->RuntimeFloor)
    fatal("fault while running an undo or deferred action: %s%s; cannot "
          "recover",
          Site.Reason, Where);
  if (T->Depth == 0)
    fatal("fault outside any recoverable domain: %s%s; aborting", Site.Reason,
          Where);
  const unsigned Index = T->Depth - 1;
  Domain &D = T->Stack[Index];
  char Name[600];
  describe(D.Name, D.Desc, Name, sizeof(Name));
  if (!D.isLogged())
    fatal("fault in unlogged domain %s: %s%s; unlogged domains are never "
          "rolled back, aborting",
          Name, Site.Reason, Where);

  if (Flags.OnFault == FaultPolicy::Abort)
    fatal("fault in domain %s: %s%s; aborting (AKESO_OPTIONS=on_fault=abort)",
          Name, Site.Reason, Where);
  lockGraph(T);
  if (T->RollbackPending.load(std::memory_order_acquire)) {
    // While waiting, another thread's rollback took this domain with it.
    unlockGraph();
    finishRollback(T);
  }
  stopWorld(T);
  ensureScratch();
  UnitCount = MemberCount = 0;
  addActive(T, Index, T);
  closeOverDependents(T);
  markLastWriters(T);
  const size_t Words = restoreMemory();
  size_t Collateral = 0;
  char Reason[160];
  snprintf(Reason, sizeof(Reason), "%s, which faulted: %s", Name, Site.Reason);
  for (size_t I = 0; I < MemberCount; ++I) {
    DomainNode *N = Members[I];
    if (N->InverseRecord != NoIndex)
      N->Owner->Log[N->InverseRecord].Target = UndoRecord::CancelledTag;
    if (N->Output && Flags.Verbosity >= 1) {
      char Other[600];
      describe(N->Name, N->Desc, Other, sizeof(Other));
      report("domain %s performed output (%s on fd %d) before it was rolled "
             "back: its memory is restored, the output is not undone (see "
             "docs/semantics.md, Output)",
             Other, N->Output, N->OutputFd);
    }
  }
  for (size_t U = 0; U < UnitCount; ++U) {
    Unit &X = Units[U];
    if (X.Completed || X.Owner == T)
      continue;
    // A thread whose earlier rollback is still pending (it has not reached
    // a safe point since) keeps the words claimed for it then: this
    // rollback goes deeper (X.Depth is below the earlier one) and its
    // records include the earlier ones.
    const bool Pending = X.Owner->RollbackPending.load(std::memory_order_relaxed);
    if (X.Owner->PausedInUserCode)
      claimWords(X);
    X.Owner->RollbackRewrite = X.Owner->PausedInUserCode ||
                               (Pending && X.Owner->RollbackRewrite);
    X.Owner->RollbackDepth = Pending && X.Owner->RollbackDepth < X.Depth
                                 ? X.Owner->RollbackDepth
                                 : X.Depth;
    snprintf(X.Owner->RollbackReason, sizeof(X.Owner->RollbackReason), "%s",
             Reason);
    if (!Pending)
      limboAddPending(T);
    X.Owner->RollbackPending.store(true, std::memory_order_release);
  }
  // Completed members keep their records until their undo actions ran.
  DomainNode *Completed = nullptr;
  for (size_t I = 0; I < MemberCount; ++I) {
    DomainNode *N = Members[I];
    if (N->Owner != T || Units[N->UnitIndex].Completed == N)
      ++Collateral;
    bool IsCompleted = Units[N->UnitIndex].Completed == N;
    if (IsCompleted) {
      N->State.store(NodeState::Committed, std::memory_order_seq_cst);
      N->NextCompleted = Completed;
      Completed = N;
    }
  }
  T->Counters.CollateralRollbacks.add(Collateral);
  const size_t Start = D.LogStart, End = T->Log.size();
  platform::JumpBuffer Pad;
  memcpy(&Pad, &D.LandingPad, sizeof(Pad));
  resumeWorld(T);
  // Freeing a record may take the edge-block lock, which a halted thread
  // might have held: only now that no thread is halted.
  for (size_t I = 0; I < MemberCount; ++I)
    if (Units[Members[I]->UnitIndex].Completed != Members[I])
      freeNode(Members[I]);
  unlockGraph();
  for (size_t U = 0; U < UnitCount; ++U)
    if (!Units[U].Completed && Units[U].Owner != T)
      kickThread(Units[U].Owner);

  // Undo actions: the completed members' here, this thread's own below.
  size_t Actions = 0;
  while (DomainNode *N = Completed) {
    Completed = N->NextCompleted;
    Actions += runUndoActions(T, N->Owner->Log, N->LogStart, N->LogEnd);
    if (Flags.Verbosity >= 1) {
      char Other[600];
      describe(N->Name, N->Desc, Other, sizeof(Other));
      report("completed domain %s rolled back: it depended on %s (its caller "
             "already saw it succeed)",
             Other, Reason);
    }
    T->Counters.DomainsRolledBack.add();
    ThreadState *Owner = N->Owner;
    freeNode(N);
    Owner->DetachedSegments.fetch_sub(1, std::memory_order_acq_rel);
  }
  T->Depth = Index;
  Actions += runUndoActions(T, T->Log, Start, End);
  T->Counters.DomainsRolledBack.add();
  if (Flags.Verbosity >= 1) {
    char Dependents[64] = "";
    if (Collateral)
      snprintf(Dependents, sizeof(Dependents), ", with %zu dependent domain%s",
               Collateral, Collateral == 1 ? "" : "s");
    report("fault in domain %s: %s%s; rolled back (%zu words restored, %zu "
           "undo actions run%s) on thread %u",
           Name, Site.Reason, Where, Words, Actions, Dependents,
           T->ThreadIndex);
  }
  jumpOut(T, Index, Start, Pad);
}

} // namespace akeso::rt
