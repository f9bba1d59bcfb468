//===- version_table.h - per-location versioning --------------------------===//
//
// For every machine word the program writes, the id of the domain that
// wrote it last while that write is still speculative, or 0 once it is
// committed (004 §4.2).  A domain's first write to a word is the one that
// must be logged; comparing the recorded writer with the current domain
// answers "first write?" in one load.  The same record is what cross-thread
// dependence tracking reads: a reader that finds another live domain's id
// forms a dependence edge to it.
//
// Layout: a directory indexed by the high address bits points to lazily
// reserved chunks of 2^20 records (one per 8-byte word, 8 MiB of address
// space each), so only the touched parts of the address space cost memory
// and a lookup is two dependent loads.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_VERSION_TABLE_H
#define AKESO_RUNTIME_VERSION_TABLE_H

#include "akeso/abi.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace akeso::rt {

// 0 means "committed": no speculative writer.  Ids are never reused.
using DomainId = uint64_t;
using VersionSlot = std::atomic<DomainId>;

// The layout is part of the ABI: compiled code looks records up inline.
constexpr unsigned WordShift = AKESO_VERSION_WORD_SHIFT;
constexpr uintptr_t WordSize = uintptr_t(1) << WordShift;
constexpr unsigned AddressBits =
    AKESO_VERSION_ADDRESS_BITS; // x86-64 user space
constexpr unsigned ChunkShift =
    AKESO_VERSION_CHUNK_SHIFT; // words per chunk, log2
constexpr size_t ChunkWords = size_t(1) << ChunkShift;
constexpr size_t DirectoryEntries = size_t(1)
                                    << (AddressBits - WordShift - ChunkShift);

class VersionTable {
public:
  bool init();

  // The record of the word containing Addr, creating its chunk if needed.
  VersionSlot &slot(uintptr_t Addr) {
    uintptr_t Word = Addr >> WordShift;
    VersionSlot *Chunk =
        Directory[(Word >> ChunkShift) & (DirectoryEntries - 1)].load(
            std::memory_order_acquire);
    if (__builtin_expect(Chunk == nullptr, 0))
      Chunk = createChunk(Word >> ChunkShift);
    return Chunk[Word & (ChunkWords - 1)];
  }

  // The record of the word containing Addr, or null if no word of its chunk
  // was ever written under a domain (so its writer is "committed").
  VersionSlot *find(uintptr_t Addr) const {
    uintptr_t Word = Addr >> WordShift;
    VersionSlot *Chunk =
        Directory[(Word >> ChunkShift) & (DirectoryEntries - 1)].load(
            std::memory_order_acquire);
    return Chunk ? &Chunk[Word & (ChunkWords - 1)] : nullptr;
  }

  void *directory() const { return Directory; }

  size_t chunksInUse() const {
    return ChunksInUse.load(std::memory_order_relaxed);
  }

private:
  VersionSlot *createChunk(uintptr_t ChunkIndex);

  std::atomic<VersionSlot *> *Directory = nullptr;
  std::atomic<size_t> ChunksInUse{0};
};

// Hidden: the hooks reach it PC-relative instead of through the GOT.
extern VersionTable Versions __attribute__((visibility("hidden")));

} // namespace akeso::rt

#endif
