//===- domains.cpp - the life of a domain on one thread -------------------===//
//
// 004 §4.3 and §4.4 for domains on a single thread: a basic domain with a
// logged parent merges into it on completion (its log suffix simply becomes
// part of the parent's, and its version records are relabelled so the pair
// is synonymous from then on); a root basic domain commits (deferred actions
// run, its version records return to "committed", its records are dropped);
// a fault rolls the innermost domain back by walking its log suffix in
// reverse and jumps to its landing pad.
//
//===----------------------------------------------------------------------===//
#include "domains.h"

#include "options.h"
#include "report.h"

#include <cstring>

namespace akeso::rt {

namespace {

// More stack than one domain's frames can span on any thread stack we
// expect; a larger distance means the landing pad is on another stack.
constexpr uintptr_t MaxDomainStack = uintptr_t(1) << 30;

const char *kindName(akeso_domain_kind K) {
  switch (K) {
  case AKESO_BASIC:
    return "basic";
  case AKESO_REVERSIBLE:
    return "reversible";
  case AKESO_TRANSPARENT:
    return "transparent";
  case AKESO_UNLOGGED:
    return "unlogged";
  }
  return "invalid";
}

// The id writes are attributed to when only the lowest Depth domains are
// live.  Actions the runtime runs are not part of the domains being torn
// down, so the search stops at the runtime floor.
DomainId idBelow(ThreadState *T, unsigned Depth) {
  unsigned Floor = T->InRuntime ? T->RuntimeFloor : 0;
  for (unsigned I = Depth; I-- > Floor;)
    if (T->Stack[I].isLogged())
      return T->Stack[I].Id;
  return 0;
}

void describe(const Domain &D, char *Out, size_t Size) {
  if (D.Desc && D.Desc->file && D.Desc->file[0])
    snprintf(Out, Size, "'%s' (%s:%u)", D.Name, D.Desc->file, D.Desc->line);
  else
    snprintf(Out, Size, "'%s'", D.Name);
}

} // namespace

platform::JumpBuffer &beginDomain(ThreadState *T, akeso_domain_kind Kind,
                                  const char *Name,
                                  const akeso_domain_desc *Desc,
                                  uintptr_t CallerStackTop) {
  if (Kind != AKESO_BASIC)
    fatal("domain '%s': kind %s is not supported yet (only basic domains are)",
          Name, kindName(Kind));
  if (T->Depth == T->StackCapacity)
    fatal("domain '%s': more than %zu nested domains on one thread; raise "
          "AKESO_OPTIONS=max_domain_depth=N",
          Name, T->StackCapacity);
  Domain &D = T->Stack[T->Depth++];
  D.Id = newDomainId(T);
  D.LogStart = T->Log.size();
  D.LandingStackTop = CallerStackTop;
  D.Kind = Kind;
  D.Name = Name ? Name : "<unnamed>";
  D.Desc = Desc;
  T->CurrentId = D.Id;
  T->Counters.DomainsBegun.add();
  if (Flags.Verbosity >= 2)
    report("begin %s domain '%s' (id %llu, depth %u)", kindName(Kind), D.Name,
           (unsigned long long)D.Id, T->Depth);
  return D.LandingPad;
}

// Hands a word's version record from a completing domain to its successor
// (the parent it merges into, or 0 for "committed") unless a later writer
// has taken it.  A plain load and store, not a compare-and-swap: on one
// thread nothing can intervene, and another thread's domain that wrote the
// word in between would at worst lose its record and log the word a second
// time.  Cross-thread dependence tracking (issue #3) must make this
// exclusive again, e.g. with the CAS this replaced (21% of a request's time
// on the request benchmark).
static inline void releaseVersion(uintptr_t Word, DomainId From, DomainId To) {
  VersionSlot *Slot = Versions.find(Word);
  if (Slot && Slot->load(std::memory_order_relaxed) == From)
    Slot->store(To, std::memory_order_release);
}

static void mergeIntoParent(ThreadState *T, const Domain &Child,
                            DomainId Parent) {
  size_t End = T->Log.size();
  for (size_t I = Child.LogStart; I < End; ++I) {
    const UndoRecord &R = T->Log[I];
    if (!R.isWord())
      continue;
    releaseVersion(R.Target, Child.Id, Parent);
  }
  T->Counters.DomainsMerged.add();
}

namespace {
// Marks the runtime busy with T's domains below the current depth.
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
} // namespace

static void commit(ThreadState *T, const Domain &D) {
  RuntimeSection Busy(T);
  // A deferred action may itself begin domains, which push records past
  // End and pop them again before it returns.
  size_t End = T->Log.size();
  for (size_t I = D.LogStart; I < End; ++I) {
    UndoRecord R = T->Log[I];
    if (R.isWord()) {
      releaseVersion(R.Target, D.Id, 0);
    } else if (R.isDeferredAction()) {
      T->Counters.DeferredActionsRun.add();
      R.action()(R.argument());
    }
  }
  T->Log.truncate(D.LogStart);
  T->Counters.DomainsCommitted.add();
}

void endDomain(ThreadState *T) {
  if (T->Depth == 0)
    fatal("akeso_domain_end called with no active domain on this thread");
  if (T->InRuntime && T->Depth <= T->RuntimeFloor)
    fatal("akeso_domain_end called from an undo or deferred action for a "
          "domain it did not begin");
  Domain &D = T->Stack[T->Depth - 1];
  DomainId Parent = idBelow(T, T->Depth - 1);
  if (Flags.Verbosity >= 2)
    report("end domain '%s' (id %llu): %s", D.Name, (unsigned long long)D.Id,
           Parent ? "merged into parent" : "committed");
  // Deferred actions run with the domain already popped, so their writes
  // are attributed to what encloses it.
  T->Depth--;
  T->CurrentId = Parent;
  if (Parent)
    mergeIntoParent(T, D, Parent);
  else
    commit(T, D);
}

void logUndoAction(ThreadState *T, ActionFn Fn, void *Arg) {
  if (T->CurrentId != 0)
    T->Log.push(UndoRecord{UndoRecord::UndoActionTag,
                           reinterpret_cast<uint64_t>(Fn),
                           reinterpret_cast<uint64_t>(Arg)});
}

bool cancelUndoAction(ThreadState *T, ActionFn Fn, void *Arg) {
  if (T->CurrentId == 0 || T->Depth == 0)
    return false;
  const size_t Oldest = T->Stack[0].LogStart;
  for (size_t I = T->Log.size(); I-- > Oldest;) {
    UndoRecord &R = T->Log[I];
    if (R.isUndoAction() && R.action() == Fn && R.argument() == Arg) {
      R.Target = UndoRecord::CancelledTag;
      return true;
    }
  }
  return false;
}

void deferAction(ThreadState *T, ActionFn Fn, void *Arg) {
  if (T->CurrentId == 0) {
    Fn(Arg);
    return;
  }
  T->Log.push(UndoRecord{UndoRecord::DeferredActionTag,
                         reinterpret_cast<uint64_t>(Fn),
                         reinterpret_cast<uint64_t>(Arg)});
}

void raiseFault(ThreadState *T, const FaultSite &Site) {
  char Where[512] = "";
  if (Site.File)
    snprintf(Where, sizeof(Where), " at %s:%u%s%s", Site.File, Site.Line,
             Site.Function ? " in " : "", Site.Function ? Site.Function : "");
  unsigned Index = T->Depth;
  while (Index > 0 && !T->Stack[Index - 1].isLogged())
    --Index;
  if (T->InRuntime && Index <= T->RuntimeFloor)
    fatal("fault while running an undo or deferred action: %s%s; cannot "
          "recover",
          Site.Reason, Where);
  if (Index == 0)
    fatal("fault outside any recoverable domain: %s%s; aborting", Site.Reason,
          Where);

  Domain &D = T->Stack[Index - 1];
  // Undo actions may begin domains that reuse D's slot, so keep what the
  // jump needs before running any.
  platform::JumpBuffer Pad;
  memcpy(&Pad, &D.LandingPad, sizeof(Pad));
  const uintptr_t DeadBelow = D.LandingStackTop;
  const size_t Start = D.LogStart;
  char Name[600];
  describe(D, Name, sizeof(Name));

  DomainId Parent = idBelow(T, Index - 1);
  T->Depth = Index - 1;
  // Undo actions run unlogged: they restore, they are not themselves undone.
  T->CurrentId = 0;
  size_t End = T->Log.size(), Words = 0, Actions = 0;
  // The frames between our stack pointer and the landing pad's frame die
  // with the jump, and this function runs in them: words logged there are
  // not written back.  (Below our stack pointer is unused stack; writing
  // there is harmless.)  The landing pad may be on another stack (a
  // coroutine switched away inside the domain); then nothing here is dead.
  const uintptr_t Here = platform::stackPointer();
  const bool SameStack = Here < DeadBelow && DeadBelow - Here < MaxDomainStack;
  const uintptr_t DeadFrom = SameStack ? Here : DeadBelow;
  {
    RuntimeSection Busy(T);
    for (size_t I = End; I-- > Start;) {
      UndoRecord R = T->Log[I];
      if (R.isWord()) {
        bool DeadFrame = R.Target >= DeadFrom && R.Target < DeadBelow;
        if (!DeadFrame)
          __atomic_store_n(reinterpret_cast<uint64_t *>(R.Target), R.Old,
                           __ATOMIC_RELAXED);
        Versions.slot(R.Target).store(R.OldMeta, std::memory_order_relaxed);
        ++Words;
      } else if (R.isUndoAction()) {
        ++Actions;
        R.action()(R.argument());
      }
    }
  }
  T->Log.truncate(Start);
  T->CurrentId = Parent;
  T->Counters.DomainsRolledBack.add();
  T->Counters.UndoActionsRun.add(Actions);
  if (Flags.Verbosity >= 1)
    report("fault in domain %s: %s%s; rolled back (%zu words restored, %zu "
           "undo actions run)",
           Name, Site.Reason, Where, Words, Actions);
  platform::jumpToLandingPad(Pad);
}

} // namespace akeso::rt
