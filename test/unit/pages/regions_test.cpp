//===- regions_test.cpp - regions and their owners ------------------------===//
#include "pages/regions.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

using namespace akeso::pages;

namespace {
const int NodeA = 0, NodeB = 0; // stand-ins for snapshot nodes
const void *LiveNode = &NodeA;
bool onlyA(const void *Owner) { return Owner == LiveNode; }
} // namespace

TEST(PagesRegions, SortedLookup) {
  char Why[128];
  ASSERT_TRUE(regionsInit(Why, sizeof(Why)));
  regionsReset();
  ASSERT_TRUE(regionAdd(0x30000, 0x40000, RegionKind::Root, PROT_READ, nullptr, false));
  ASSERT_TRUE(regionAdd(0x10000, 0x20000, RegionKind::Root, PROT_READ, nullptr, false));
  EXPECT_EQ(regionCount(), 2u);
  EXPECT_EQ(regionAt(0)->Lo, 0x10000u);
  EXPECT_EQ(regionFind(0x1ffff)->Lo, 0x10000u);
  EXPECT_EQ(regionFind(0x20000), nullptr);
  EXPECT_EQ(regionFind(0x30000)->Lo, 0x30000u);
  regionRemove(0x10000);
  EXPECT_EQ(regionFind(0x10000), nullptr);
  regionsReset();
}

TEST(PagesRegions, RevertUnmapsWhatDeadCandidatesMapped) {
  char Why[128];
  ASSERT_TRUE(regionsInit(Why, sizeof(Why)));
  regionsReset();
  void *Kept = mmap(nullptr, 8192, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  void *Dropped = mmap(nullptr, 8192, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  regionAdd(uintptr_t(Kept), uintptr_t(Kept) + 8192, RegionKind::Mapped,
            PROT_READ | PROT_WRITE, nullptr, true);
  regionsAssignOwner(&NodeA); // taken by A
  regionAdd(uintptr_t(Dropped), uintptr_t(Dropped) + 8192,
            RegionKind::Mapped, PROT_READ | PROT_WRITE, nullptr, true);
  regionsAssignOwner(&NodeB); // then by B; back to A:
  regionsRevert(onlyA);
  EXPECT_NE(regionFind(uintptr_t(Kept)), nullptr);
  EXPECT_EQ(regionFind(uintptr_t(Dropped)), nullptr);
  // Dropped is unmapped: msync on it fails with ENOMEM.
  EXPECT_NE(msync(Dropped, 4096, MS_ASYNC), 0);
  EXPECT_EQ(msync(Kept, 4096, MS_ASYNC), 0);
  munmap(Kept, 8192);
  regionsReset();
}
