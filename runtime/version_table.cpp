//===- version_table.cpp - lazily reserved chunks of version records ------===//
#include "version_table.h"

#include "platform/platform.h"
#include "report.h"

extern "C" void *__akeso_version_directory = nullptr;

namespace akeso::rt {

VersionTable Versions;

bool VersionTable::init() {
  Directory = static_cast<std::atomic<VersionSlot *> *>(
      platform::reserveZeroed(DirectoryEntries * sizeof(void *)));
  return Directory != nullptr;
}

VersionSlot *VersionTable::createChunk(uintptr_t ChunkIndex) {
  auto &Entry = Directory[ChunkIndex & (DirectoryEntries - 1)];
  auto *Fresh = static_cast<VersionSlot *>(
      platform::reserveZeroed(ChunkWords * sizeof(VersionSlot)));
  if (!Fresh)
    fatal("cannot reserve memory for the version table");
  VersionSlot *Expected = nullptr;
  // Two threads may race to create the same chunk; the loser returns its
  // reservation and uses the winner's.
  if (!Entry.compare_exchange_strong(Expected, Fresh,
                                     std::memory_order_acq_rel)) {
    platform::release(Fresh, ChunkWords * sizeof(VersionSlot));
    return Expected;
  }
  ChunksInUse.fetch_add(1, std::memory_order_relaxed);
  return Fresh;
}

} // namespace akeso::rt
