//===- version_table_test.cpp - per-location version records --------------===//
#include "version_table.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace akeso::rt;

namespace {
VersionTable &table() {
  static VersionTable T;
  static bool Ready = T.init();
  EXPECT_TRUE(Ready);
  return T;
}
} // namespace

TEST(VersionTable, WordsShareOneRecord) {
  alignas(8) static char Buffer[64];
  auto Base = reinterpret_cast<uintptr_t>(Buffer);
  VersionSlot &S = table().slot(Base);
  EXPECT_EQ(&S, &table().slot(Base + 7));
  EXPECT_NE(&S, &table().slot(Base + 8));
  EXPECT_EQ(S.load(), 0u) << "untouched words are committed";
}

TEST(VersionTable, FindDoesNotCreate) {
  // An address in a chunk nobody wrote under a domain.
  uintptr_t Far = uintptr_t(0x7e0000000000);
  EXPECT_EQ(table().find(Far), nullptr);
  size_t Before = table().chunksInUse();
  table().slot(Far).store(5);
  EXPECT_EQ(table().chunksInUse(), Before + 1);
  ASSERT_NE(table().find(Far), nullptr);
  EXPECT_EQ(table().find(Far)->load(), 5u);
}

TEST(VersionTable, ConcurrentChunkCreationAgrees) {
  uintptr_t Addr = uintptr_t(0x6d0000000000);
  std::vector<std::thread> Threads;
  std::vector<VersionSlot *> Seen(8);
  for (int I = 0; I < 8; ++I)
    Threads.emplace_back([&, I] { Seen[I] = &table().slot(Addr); });
  for (auto &T : Threads)
    T.join();
  for (VersionSlot *S : Seen)
    EXPECT_EQ(S, Seen[0]);
}
