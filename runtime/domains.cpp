//===- domains.cpp - the domain stack of one thread -----------------------===//
//
// 004 §4.2: "the run-time maintains a stack of active domains".  A basic
// domain nests in the domain below it; a reversible or transparent one
// starts a tree of its own for commit purposes but stays on the stack for
// faults and for restoring the current domain on exit; an unlogged one has
// no record at all: inside it the current id is 0, so its writes commit as
// issued and its reads form no edges.
//
//===----------------------------------------------------------------------===//
#include "domains.h"

#include "commit.h"
#include "fault_injection.h"
#include "options.h"
#include "report.h"
#include "stop_world.h"

#include <cstring>

namespace akeso::rt {

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

DomainId idBelow(ThreadState *T, unsigned Depth) {
  unsigned Floor = T->InRuntime ? T->RuntimeFloor : 0;
  for (unsigned I = Depth; I-- > Floor;)
    if (T->Stack[I].isLogged())
      return T->Stack[I].Id;
  return 0;
}

static Domain *loggedBelow(ThreadState *T, unsigned Depth) {
  unsigned Floor = T->InRuntime ? T->RuntimeFloor : 0;
  for (unsigned I = Depth; I-- > Floor;)
    if (T->Stack[I].isLogged())
      return &T->Stack[I];
  return nullptr;
}

bool isOnStack(ThreadState *T, DomainId Id) {
  for (unsigned I = 0; I < T->Depth; ++I)
    if (T->Stack[I].Id == Id)
      return true;
  return false;
}

platform::JumpBuffer &beginDomain(ThreadState *T, akeso_domain_kind Kind,
                                  const char *Name,
                                  const akeso_domain_desc *Desc,
                                  uintptr_t CallerStackTop) {
  if (unsigned(Kind) > AKESO_UNLOGGED)
    fatal("domain '%s': invalid domain kind %u", Name ? Name : "<unnamed>",
          unsigned(Kind));
  if (T->Depth == T->StackCapacity)
    fatal("domain '%s': more than %zu nested domains on one thread; raise "
          "AKESO_OPTIONS=max_domain_depth=N",
          Name, T->StackCapacity);
  // The log is empty below the first domain, except for the records of
  // completed domains still waiting to commit.
  if (T->Depth == 0 &&
      T->DetachedSegments.load(std::memory_order_acquire) == 0)
    T->Log.truncate(0);
  Domain &D = T->Stack[T->Depth];
  D.Kind = Kind;
  D.Name = Name ? Name : "<unnamed>";
  D.Desc = Desc;
  D.LandingStackTop = CallerStackTop;
  D.LogStart = T->Log.size();
  if (Kind == AKESO_UNLOGGED) {
    D.Id = 0;
    D.Node = nullptr;
  } else {
    // A reversible domain inside a logged one brackets its records so the
    // enclosing domain can tell them apart once it has completed.
    if (Kind == AKESO_REVERSIBLE && T->CurrentId != 0)
      T->Log.push(UndoRecord{UndoRecord::SegmentBeginTag, 0, 0});
    D.Node = newNode(T, Kind, D.Name, Desc);
    D.Id = D.Node->Id.load(std::memory_order_relaxed);
    D.Node->LogStart = D.LogStart;
    if (Kind == AKESO_REVERSIBLE && T->CurrentId != 0) {
      D.Node->SegmentBegin = D.LogStart;
      D.Node->LogStart = D.LogStart + 1;
      T->Log[D.LogStart].OldMeta = D.Id;
    }
  }
  T->Depth++;
  setCurrentDomain(T, Kind == AKESO_UNLOGGED ? 0 : D.Id);
  T->Counters.DomainsBegun.add();
  if (Flags.Verbosity >= 2)
    report("begin %s domain '%s' (id %#llx, depth %u)", kindName(Kind),
           D.Name, (unsigned long long)D.Id, T->Depth);
  return D.LandingPad;
}

void endDomain(ThreadState *T, const ActionCall *Inverse) {
  if (T->Depth == 0)
    fatal("akeso_domain_end called with no active domain on this thread");
  if (T->InRuntime && T->Depth <= T->RuntimeFloor)
    fatal("akeso_domain_end called from an undo or deferred action for a "
          "domain it did not begin");
  Domain &D = T->Stack[T->Depth - 1];
  Domain *Parent = loggedBelow(T, T->Depth - 1);
  if (Flags.Verbosity >= 2)
    report("end %s domain '%s' (id %#llx)", kindName(D.Kind), D.Name,
           (unsigned long long)D.Id);
  if (D.Kind == AKESO_UNLOGGED) {
    T->Depth--;
    setCurrentDomain(T, Parent ? Parent->Id : 0);
    if (Inverse && Parent)
      logCall(T, UndoRecord::UndoActionTag, *Inverse);
    return;
  }
  // From here until the domain is off the stack and its fate decided, no
  // other thread's rollback may see it half-ended.
  enterCritical(T);
  if (D.Kind == AKESO_BASIC && Parent) {
    mergeIntoParent(T, D.Node, D.LogStart, Parent->Node);
    T->Depth--;
    setCurrentDomain(T, Parent->Id);
    leaveCritical(T);
    return;
  }
  completeDomain(T, D, Parent ? Parent->Node : nullptr,
                 D.Kind == AKESO_REVERSIBLE ? Inverse : nullptr);
}

size_t logCall(ThreadState *T, uintptr_t Tag, const ActionCall &Call) {
  for (unsigned I = 0; I < Call.Count; ++I)
    T->Log.push(UndoRecord{UndoRecord::PayloadTag, Call.Args[I], 0});
  size_t Index = T->Log.size();
  T->Log.push(UndoRecord{UndoRecord::action(Tag, Call.Count),
                         reinterpret_cast<uint64_t>(Call.Thunk), 0});
  return Index;
}

void runRecordedAction(const UndoRecord *Records, size_t Index) {
  const UndoRecord &R = Records[Index];
  unsigned Count = R.payloadCount();
  if (Count == 0) {
    R.action()(R.argument());
    return;
  }
  uint64_t Args[AKESO_MAX_INVERSE_ARGS];
  for (unsigned I = 0; I < Count && I < AKESO_MAX_INVERSE_ARGS; ++I)
    Args[I] = Records[Index - Count + I].Old;
  R.action()(Args);
}

void logUndoAction(ThreadState *T, ActionFn Fn, void *Arg) {
  if (T->CurrentId != 0)
    T->Log.push(UndoRecord{UndoRecord::UndoActionTag,
                           reinterpret_cast<uint64_t>(Fn),
                           reinterpret_cast<uint64_t>(Arg)});
}

void logReleaseAction(ThreadState *T, ActionFn Fn, void *Arg) {
  if (T->CurrentId != 0)
    T->Log.push(UndoRecord{UndoRecord::ReleaseActionTag,
                           reinterpret_cast<uint64_t>(Fn),
                           reinterpret_cast<uint64_t>(Arg)});
}

bool cancelUndoAction(ThreadState *T, ActionFn Fn, void *Arg) {
  if (T->CurrentId == 0 || T->Depth == 0)
    return false;
  const size_t Oldest = T->Stack[0].LogStart;
  for (size_t I = T->Log.size(); I-- > Oldest;) {
    UndoRecord &R = T->Log[I];
    if (R.isUndoAction() && R.payloadCount() == 0 && R.action() == Fn &&
        R.argument() == Arg) {
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

void deferCall(ThreadState *T, const ActionCall &Call) {
  if (T->CurrentId == 0) {
    uint64_t Args[AKESO_MAX_INVERSE_ARGS];
    memcpy(Args, Call.Args, sizeof(Args));
    Call.Thunk(Args);
    return;
  }
  logCall(T, UndoRecord::DeferredActionTag, Call);
}

} // namespace akeso::rt
