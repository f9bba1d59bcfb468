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
// Reads have no runtime work yet beyond counting, which compiled code does
// per block; they are where cross-thread dependence edges will be formed
// (004 §4.2), from the same version records.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "thread_state.h"

namespace akeso::rt {

[[gnu::noinline]] static void logFirstWrite(ThreadState *T, uintptr_t Word,
                                            DomainId Previous,
                                            VersionSlot &Slot) {
  uint64_t Old = __atomic_load_n(reinterpret_cast<const uint64_t *>(Word),
                                 __ATOMIC_RELAXED);
  T->Log.push(UndoRecord{Word, Old, Previous});
  Slot.store(T->CurrentId, std::memory_order_relaxed);
  T->Counters.LoggedWords.add();
}

static inline __attribute__((always_inline)) void
noteWordWrite(ThreadState *T, uintptr_t Word) {
  DomainId Current = T->CurrentId;
  if (Current == 0) {
    // The default domain is unlogged: its writes commit as issued, so any
    // speculative writer recorded for the word is superseded.
    if (VersionSlot *S = Versions.find(Word))
      if (__builtin_expect(S->load(std::memory_order_relaxed) != 0, 0))
        S->store(0, std::memory_order_relaxed);
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
          if (S->load(std::memory_order_relaxed) != 0)
            S->store(0, std::memory_order_relaxed);
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
  ThreadState *T = thread();
  if (__builtin_expect((Addr & (WordSize - 1)) + Size <= WordSize, 1))
    noteWordWrite(T, Addr & ~(WordSize - 1));
  else
    noteWideWrite(T, Addr, Size);
}

// Nothing to do for a read until dependence tracking; the thread state is
// still created so that a thread's first access sets it up.
static inline __attribute__((always_inline)) void noteRead() { (void)thread(); }

} // namespace akeso::rt

using namespace akeso::rt;

extern "C" {

#define AKESO_FIXED_SIZE_HOOKS(N)                                              \
  void __akeso_read_##N(void *) { noteRead(); }                                \
  void __akeso_write_##N(void *Addr) {                                         \
    noteWrite(reinterpret_cast<uintptr_t>(Addr), N);                           \
  }
AKESO_FIXED_SIZE_HOOKS(1)
AKESO_FIXED_SIZE_HOOKS(2)
AKESO_FIXED_SIZE_HOOKS(4)
AKESO_FIXED_SIZE_HOOKS(8)
AKESO_FIXED_SIZE_HOOKS(16)
#undef AKESO_FIXED_SIZE_HOOKS

void __akeso_read_range(void *, size_t) { noteRead(); }

void __akeso_write_range(void *Addr, size_t Size) {
  if (Size)
    noteWrite(reinterpret_cast<uintptr_t>(Addr), Size);
}

} // extern "C"
