//===- guess_candidates.cpp - partial candidates as deltas (BFS and A*) ---===//
//
// One malloc block per candidate: the header, then its delta words, its
// action records (copied verbatim from the undo log, payloads before their
// action), then its stack copy.
//
//===----------------------------------------------------------------------===//
#include "guess_candidates.h"

#include "domains.h"
#include "fault_injection.h"
#include "local_rollback.h"
#include "report.h"

#include <csetjmp>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace akeso::rt {

namespace {

// The part of a jmp_buf that setjmp fills: the registers and whether a
// signal mask was saved (never, for setjmp).  glibc's saved mask after it
// (128 bytes) is not kept: a quarter of an n-queens candidate.
constexpr size_t PadBytes = offsetof(__jmp_buf_tag, __saved_mask);
static_assert(PadBytes <= sizeof(platform::JumpBuffer));

struct DeltaWord {
  uintptr_t Address;
  uint64_t Old, New;
};

} // namespace

struct PartialCandidate {
  PartialCandidate *Parent;
  // Scratch link from an ancestor to the child on the way to a candidate
  // (the order in which to redo deltas, or to commit).
  PartialCandidate *Down;
  size_t Depth; // 1 for a child of the start
  size_t References;
  size_t Words, Actions;
  uintptr_t Lo;
  bool Committed;
  alignas(8) unsigned char Pad[PadBytes];

  DeltaWord *words() { return reinterpret_cast<DeltaWord *>(this + 1); }
  UndoRecord *actions() {
    return reinterpret_cast<UndoRecord *>(words() + Words);
  }
  char *stack() { return reinterpret_cast<char *>(actions() + Actions); }
  const char *stack() const {
    return const_cast<PartialCandidate *>(this)->stack();
  }
};

namespace {

static_assert(sizeof(PartialCandidate) % 8 == 0 && sizeof(DeltaWord) == 24 &&
              sizeof(UndoRecord) == 24);

// Runs the actions of C that Wanted selects, newest first or oldest first,
// on T outside its domains (as the engine runs a committed domain's
// deferred actions): their writes belong to no extension.
template <typename Pred>
void runActions(ThreadState *T, PartialCandidate *C, bool NewestFirst,
                Pred Wanted) {
  if (C->Actions == 0)
    return;
  RuntimeSection Busy(T);
  const DomainId Saved = T->CurrentId;
  setCurrentDomain(T, 0);
  UndoRecord *R = C->actions();
  for (size_t K = 0; K < C->Actions; ++K) {
    const size_t I = NewestFirst ? C->Actions - 1 - K : K;
    if (Wanted(R[I]))
      runRecordedAction(R, I);
  }
  setCurrentDomain(T, Saved);
}

size_t depth(const PartialCandidate *C) { return C ? C->Depth : 0; }

// Links the candidates from Ancestor (excluded) down to C through Down
// and returns the first of them (null if C is Ancestor).
PartialCandidate *pathDown(PartialCandidate *C, PartialCandidate *Ancestor) {
  PartialCandidate *First = nullptr;
  for (; C != Ancestor; C = C->Parent) {
    C->Down = First;
    First = C;
  }
  return First;
}

void store(uintptr_t Address, uint64_t Value, uintptr_t SkipLow,
           uintptr_t SkipHigh) {
  if (Address < SkipLow || Address >= SkipHigh)
    __atomic_store_n(reinterpret_cast<uint64_t *>(Address), Value,
                     __ATOMIC_RELAXED);
}

} // namespace

PartialCandidate *createCandidate(ThreadState *T, size_t LogStart,
                                  PartialCandidate *Parent, unsigned Extensions,
                                  uintptr_t Lo, uintptr_t Hi,
                                  const platform::JumpBuffer &Pad,
                                  const char *File, unsigned Line) {
  if (Lo >= Hi)
    fatal("akeso_guess at %s:%u: a guess point above the frame that started the "
          "exploration (did that function return?)",
          File, Line);
  const size_t End = T->Log.size();
  const bool Alone = aloneInProcess(T);
  const DomainId Id = T->CurrentId;
  size_t Words = 0, Actions = 0;
  for (size_t I = LogStart; I < End; ++I) {
    const UndoRecord &R = T->Log[I];
    if (R.isWord()) {
      // Another thread's domain that wrote the word since would own its
      // version record: the delta could not give it back.
      VersionSlot *Slot = Alone ? nullptr : Versions.find(R.Target);
      if (!Alone && (!Slot || Slot->load(std::memory_order_acquire) != Id))
        fatal("akeso_guess at %s:%u (BFS/A*, undo backend): another thread "
              "wrote a word this extension wrote; partial candidates of "
              "BFS and A* are per thread (use DFS, or the fork backend)",
              File, Line);
      ++Words;
    } else if (R.isSegmentBegin() || R.isSegmentEnd()) {
      fatal("akeso_guess at %s:%u (BFS/A*, undo backend): the extension ran a "
            "reversible domain; its records cannot be kept in a partial "
            "candidate (use DFS)",
            File, Line);
    } else if (R.tag() != UndoRecord::CancelledTag) {
      ++Actions;
    }
  }
  const size_t StackBytes = Hi - Lo;
  const size_t Bytes = sizeof(PartialCandidate) + Words * sizeof(DeltaWord) +
                       Actions * sizeof(UndoRecord) + StackBytes;
  auto *C = static_cast<PartialCandidate *>(malloc(Bytes));
  if (!C)
    fatal("akeso_guess at %s:%u: out of memory for a partial candidate (%zu "
          "bytes)",
          File, Line, Bytes);
  C->Parent = Parent;
  C->Down = nullptr;
  C->Depth = Parent ? Parent->Depth + 1 : 1;
  C->References = Extensions;
  C->Words = Words;
  C->Actions = Actions;
  C->Lo = Lo;
  C->Committed = false;
  memcpy(C->Pad, &Pad, PadBytes);
  if (Parent)
    ++Parent->References;
  // The delta, oldest record first; the new value is what memory holds now.
  DeltaWord *W = C->words();
  UndoRecord *A = C->actions();
  for (size_t I = LogStart; I < End; ++I) {
    const UndoRecord &R = T->Log[I];
    if (R.isWord())
      *W++ = DeltaWord{R.Target, R.Old,
                       __atomic_load_n(reinterpret_cast<uint64_t *>(R.Target),
                                       __ATOMIC_RELAXED)};
    else if (R.tag() != UndoRecord::CancelledTag)
      *A++ = R;
  }
  // Version records as before the step, newest first (the oldest record of
  // a word logged twice wins), as a rollback leaves them.
  DomainId LastPrevious = 0, LastWriter = 0;
  for (size_t I = End; I-- > LogStart;) {
    const UndoRecord &R = T->Log[I];
    if (!R.isWord())
      continue;
    if (R.OldMeta != LastPrevious) {
      LastPrevious = R.OldMeta;
      LastWriter = liveWriter(LastPrevious);
    }
    Versions.slot(R.Target).store(LastWriter, std::memory_order_release);
  }
  T->Log.truncate(LogStart);
  T->EdgeCacheFrom = T->EdgeCacheTo = 0;
  memcpy(C->stack(), reinterpret_cast<void *>(Lo), StackBytes);
  return C;
}

void switchCandidate(PartialCandidate *From, PartialCandidate *To,
                     uintptr_t StackLow, uintptr_t Hi) {
  // The common ancestor (null: the start).
  PartialCandidate *A = From, *B = To;
  while (depth(A) > depth(B))
    A = A->Parent;
  while (depth(B) > depth(A))
    B = B->Parent;
  while (A != B) {
    A = A->Parent;
    B = B->Parent;
  }
  PartialCandidate *const Common = A;
  // Undo From's side: newest delta first, each newest word first.
  for (PartialCandidate *C = From; C != Common; C = C->Parent) {
    const DeltaWord *W = C->words();
    for (size_t I = C->Words; I-- > 0;)
      store(W[I].Address, W[I].Old, StackLow, Hi);
  }
  // Redo To's side: oldest delta first, each oldest word first.
  for (PartialCandidate *C = pathDown(To, Common); C; C = C->Down) {
    const DeltaWord *W = C->words();
    for (size_t I = 0; I < C->Words; ++I)
      store(W[I].Address, W[I].New, StackLow, Hi);
  }
}

void releaseCandidate(ThreadState *T, PartialCandidate *C) {
  while (C && --C->References == 0) {
    PartialCandidate *Parent = C->Parent;
    if (!C->Committed)
      runActions(T, C, /*NewestFirst=*/true,
                 [](const UndoRecord &R) { return R.isUndoAction(); });
    free(C);
    C = Parent;
  }
}

void commitCandidatePath(ThreadState *T, PartialCandidate *C) {
  for (PartialCandidate *P = pathDown(C, nullptr); P; P = P->Down) {
    P->Committed = true;
    runActions(T, P, /*NewestFirst=*/false,
               [](const UndoRecord &R) { return R.isDeferredAction(); });
  }
}

void restoreCandidateStack(const PartialCandidate *C, uintptr_t Hi) {
  memcpy(reinterpret_cast<void *>(C->Lo), C->stack(), Hi - C->Lo);
}

void loadCandidatePad(const PartialCandidate *C, platform::JumpBuffer &Out) {
  memcpy(&Out, C->Pad, PadBytes);
}

} // namespace akeso::rt
