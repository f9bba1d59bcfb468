//===- memory_hooks.cpp - the calls the instrumentation pass inserts ------===//
//
// Compiled code handles the common case of a store inline (a word the
// current domain has already logged, or a store outside any domain to memory
// no domain wrote) and calls __akeso_write_N for the rest: the thread's
// first access, a domain's first write to a word (which appends an undo
// record), a chunk of version records that does not exist yet, a store
// straddling two words.  Wide and range writes (memcpy, struct copies,
// libc functions) always come here.
//
// Reads (004 §4.2): compiled code calls __akeso_read_N only inside a logged
// domain and only for a word whose last writer is another domain that has
// not committed; the hook adds a dependence edge from the current domain to
// that writer (or to the domain it merged into).  Edges to the domains the
// reader is nested in mean nothing and are not formed.
//
// Every hook is a safe point: a rollback another thread left pending for
// this one happens on entry (domains.h, enterRuntime).  The work on version
// records and edges runs as a critical section (stop_world.h).
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "domains.h"
#include "stop_world.h"

namespace akeso::rt {

// A rollback claimed the word for a thread that has yet to write it again.
[[gnu::noinline]] static DomainId waitUnclaimed(ThreadState *T,
                                                VersionSlot &Slot) {
  DomainId V;
  while ((V = Slot.load(std::memory_order_acquire)) == ClaimedSlot) {
    pausePoint(T);
    // A rollback during the pause may have taken this thread's domain:
    // nothing is half-done yet, so finish it here.
    if (T->RollbackPending.load(std::memory_order_acquire)) {
      T->InCritical.store(0, std::memory_order_relaxed);
      finishRollback(T);
    }
    platform::yieldProcessor();
  }
  return V;
}

[[gnu::noinline]] static void formEdge(ThreadState *T, VersionSlot &Slot,
                                       DomainId Seen) {
  CriticalSection Section(T);
  const DomainId Current = T->CurrentId;
  for (;;) {
    if (Seen == ClaimedSlot)
      Seen = waitUnclaimed(T, Slot);
    if (Seen == 0 || Seen == Current)
      return;
    if (T->EdgeCacheFrom == Current && T->EdgeCacheTo == Seen)
      return;
    DomainNode *Target = resolve(Seen);
    if (Target) {
      // Tell the writer before checking once more that it is live: either
      // its commit sees the flag and wakes waiters, or we see it gone.
      Target->HasDependents.store(true, std::memory_order_seq_cst);
      if (resolve(Seen) != Target)
        Target = nullptr;
    }
    if (!Target) {
      // Committed, unless the word changed hands meanwhile.
      DomainId Again = Slot.load(std::memory_order_acquire);
      if (Again == Seen)
        return;
      Seen = Again;
      continue;
    }
    T->EdgeCacheFrom = Current;
    T->EdgeCacheTo = Seen;
    const DomainId TargetId = Target->Id.load(std::memory_order_relaxed);
    if (isOnStack(T, TargetId))
      return;
    DomainNode *Own = nodeOf(Current);
    if (Own->Edges.contains(TargetId))
      return;
    Own->EdgeLock.lock();
    Own->Edges.add(TargetId);
    Own->EdgeLock.unlock();
    T->Counters.DependenceEdges.add();
    return;
  }
}

// After a first write replaced Previous's id in Slot: if Previous's records
// are being rewritten right now (a commit or merge on another thread), the
// rewrite may have overwritten ours; wait for it and store ours again
// (commit.cpp, ReleasingVersions).
static void settleReleasedWord(VersionSlot &Slot, DomainId Previous,
                               DomainId Current) {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  const DomainNode *P = nodeOf(Previous);
  while (P->Releasing.load(std::memory_order_acquire))
    __builtin_ia32_pause();
  if (Slot.load(std::memory_order_relaxed) != Current)
    Slot.store(Current, std::memory_order_relaxed);
}

[[gnu::noinline]] static void logFirstWrite(ThreadState *T, uintptr_t Word,
                                            DomainId Previous,
                                            VersionSlot &Slot) {
  CriticalSection Section(T);
  if (Previous == ClaimedSlot)
    Previous = waitUnclaimed(T, Slot);
  T->ProbedWord = Word;
  T->Probing = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  uint64_t Old = __atomic_load_n(reinterpret_cast<const uint64_t *>(Word),
                                 __ATOMIC_RELAXED);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  T->Probing = false;
  T->Log.push(UndoRecord{Word, Old, Previous});
  Slot.store(T->CurrentId, std::memory_order_relaxed);
  if (Previous != 0)
    settleReleasedWord(Slot, Previous, T->CurrentId);
  T->Counters.LoggedWords.add();
}

static inline __attribute__((always_inline)) void
noteWordWrite(ThreadState *T, uintptr_t Word) {
  DomainId Current = T->CurrentId;
  if (Current == 0) {
    // The default domain is unlogged: its writes commit as issued, so any
    // speculative writer recorded for the word is superseded.
    if (VersionSlot *S = Versions.find(Word))
      if (__builtin_expect(S->load(std::memory_order_relaxed) != 0, 0)) {
        if (S->load(std::memory_order_acquire) == ClaimedSlot)
          waitUnclaimed(T, *S);
        S->store(0, std::memory_order_relaxed);
      }
    return;
  }
  VersionSlot &S = Versions.slot(Word);
  DomainId Previous = S.load(std::memory_order_relaxed);
  if (__builtin_expect(Previous != Current, 0))
    logFirstWrite(T, Word, Previous, S);
}

// Unaligned and wide accesses (memcpy, memset, struct copies) cover more
// than one word: walk the records chunk by chunk instead of looking each
// word up from the directory.
[[gnu::noinline]] static void noteWideWrite(ThreadState *T, uintptr_t Addr,
                                            size_t Size) {
  uintptr_t Word = Addr & ~(WordSize - 1);
  const uintptr_t Last = (Addr + Size - 1) & ~(WordSize - 1);
  const DomainId Current = T->CurrentId;
  while (Word <= Last) {
    uintptr_t ChunkEnd =
        (Word | ((uintptr_t(ChunkWords) << WordShift) - 1)) - (WordSize - 1);
    uintptr_t Stop = ChunkEnd < Last ? ChunkEnd : Last;
    if (Current == 0) {
      if (VersionSlot *S = Versions.find(Word))
        for (; Word <= Stop; Word += WordSize, ++S)
          if (S->load(std::memory_order_relaxed) != 0) {
            if (S->load(std::memory_order_acquire) == ClaimedSlot)
              waitUnclaimed(T, *S);
            S->store(0, std::memory_order_relaxed);
          }
      Word = Stop + WordSize;
      continue;
    }
    VersionSlot *S = &Versions.slot(Word);
    for (; Word <= Stop; Word += WordSize, ++S) {
      DomainId Previous = S->load(std::memory_order_relaxed);
      if (Previous != Current)
        logFirstWrite(T, Word, Previous, *S);
    }
  }
}

static inline __attribute__((always_inline)) void noteWrite(uintptr_t Addr,
                                                            size_t Size) {
  ThreadState *T = enterRuntime();
  if (__builtin_expect((Addr & (WordSize - 1)) + Size <= WordSize, 1))
    noteWordWrite(T, Addr & ~(WordSize - 1));
  else
    noteWideWrite(T, Addr, Size);
  // The hook may have paused (leaveCritical -> pausePoint), and another
  // thread may have rolled this domain back meanwhile.  The store the hook
  // announces has not happened yet, so this is still a safe point: finish
  // the rollback here instead of returning to a store no claim covers.
  if (__builtin_expect(T->RollbackPending.load(std::memory_order_acquire), 0))
    finishRollback(T);
}

// Whether Id is an active domain of T (one the current domain is nested
// in): reading its words means nothing.  The records of T's ring change
// hands only on T, and those in the Active state are exactly T's stack, so
// this needs no scan of the stack (guess points nest one domain per choice
// point, and reads of what enclosing ones wrote are their common case).
static inline bool isEnclosingDomain(ThreadState *T, DomainId Id) {
  if (Id == ClaimedSlot)
    return false;
  const DomainNode *N = nodeOf(Id);
  return N->Owner == T && N->Id.load(std::memory_order_relaxed) == Id &&
         N->State.load(std::memory_order_relaxed) == NodeState::Active;
}

static void noteRead(uintptr_t Addr, size_t Size) {
  ThreadState *T = enterRuntime();
  const DomainId Current = T->CurrentId;
  if (Current == 0 || Size == 0)
    return;
  uintptr_t Word = Addr & ~(WordSize - 1);
  const uintptr_t Last = (Addr + Size - 1) & ~(WordSize - 1);
  // Chunk by chunk, as noteWideWrite does: one directory lookup per chunk
  // rather than per word (range reads: memcpy sources, struct copies).
  const uintptr_t ChunkBytes = uintptr_t(ChunkWords) << WordShift;
  while (Word <= Last) {
    const uintptr_t ChunkEnd = (Word | (ChunkBytes - 1)) - (WordSize - 1);
    const uintptr_t Stop = ChunkEnd < Last ? ChunkEnd : Last;
    VersionSlot *S = Versions.find(Word);
    if (!S) {
      // No record in this chunk: nothing here to depend on.
      if (Stop == Last)
        return;
      Word = Stop + WordSize;
      continue;
    }
    for (; Word <= Stop; Word += WordSize, ++S) {
      DomainId V = S->load(std::memory_order_acquire);
      if (__builtin_expect(V != 0 && V != Current, 0) &&
          !isEnclosingDomain(T, V))
        formEdge(T, *S, V);
    }
    if (Stop == Last)
      return;
  }
}

void noteObjectRelease(ThreadState *, const void *Object, size_t Size) {
  noteRead(reinterpret_cast<uintptr_t>(Object), Size);
}

bool releaseCanDepend() {
  return SeveralThreads.load(std::memory_order_relaxed);
}

} // namespace akeso::rt

using namespace akeso::rt;

extern "C" {

#define AKESO_FIXED_SIZE_HOOKS(N)                                              \
  void __akeso_read_##N(void *Addr) {                                          \
    noteRead(reinterpret_cast<uintptr_t>(Addr), N);                            \
  }                                                                            \
  void __akeso_write_##N(void *Addr) {                                         \
    noteWrite(reinterpret_cast<uintptr_t>(Addr), N);                           \
  }
AKESO_FIXED_SIZE_HOOKS(1)
AKESO_FIXED_SIZE_HOOKS(2)
AKESO_FIXED_SIZE_HOOKS(4)
AKESO_FIXED_SIZE_HOOKS(8)
AKESO_FIXED_SIZE_HOOKS(16)
#undef AKESO_FIXED_SIZE_HOOKS

void __akeso_read_range(void *Addr, size_t Size) {
  noteRead(reinterpret_cast<uintptr_t>(Addr), Size);
}

void __akeso_write_range(void *Addr, size_t Size) {
  if (Size)
    noteWrite(reinterpret_cast<uintptr_t>(Addr), Size);
}

} // extern "C"
