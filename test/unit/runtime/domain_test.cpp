//===- domain_test.cpp - basic domains on one thread ----------------------===//
//
// Drives the runtime through the same entry points compiled code uses: a
// write hook before each store, domain begin/end around a body.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "akeso/akeso.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

long Global = 0;
long Other = 0;

template <typename T> void store(T *P, T V) {
  __akeso_write_range(P, sizeof(T));
  *P = V;
}

std::vector<int> Events;
void recordUndo(void *Tag) {
  Events.push_back(int(reinterpret_cast<intptr_t>(Tag)));
}
void recordDeferred(void *Tag) {
  Events.push_back(100 + int(reinterpret_cast<intptr_t>(Tag)));
}

} // namespace

TEST(BasicDomain, RollbackRestoresGlobalsHeapAndEscapedStack) {
  Global = 1;
  auto *Heap = static_cast<int *>(malloc(4 * sizeof(int)));
  for (int I = 0; I < 4; ++I)
    Heap[I] = I;
  char Local[13] = "hello world!";
  volatile bool Landed = false;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t") == 0) {
    store(&Global, 99L);
    for (int I = 0; I < 4; ++I)
      store(&Heap[I], 1000 + I);
    __akeso_write_range(Local, 5);
    memcpy(Local, "HELLO", 5);
    akeso_fault("test fault");
  } else {
    Landed = true;
  }
  EXPECT_TRUE(Landed);
  EXPECT_EQ(Global, 1);
  for (int I = 0; I < 4; ++I)
    EXPECT_EQ(Heap[I], I);
  EXPECT_STREQ(Local, "hello world!");
  EXPECT_EQ(akeso_domain_depth(), 0u);
  free(Heap);
}

TEST(BasicDomain, CommitKeepsWrites) {
  Global = 1;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t") == 0) {
    store(&Global, 5L);
    akeso_domain_end();
  }
  EXPECT_EQ(Global, 5);
  // A later domain's rollback restores the committed value, not an older one.
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t2") == 0) {
    store(&Global, 6L);
    store(&Global, 7L);
    akeso_fault("again");
  }
  EXPECT_EQ(Global, 5);
}

TEST(BasicDomain, UnalignedWriteAcrossWordsIsRestored) {
  alignas(8) static unsigned char Bytes[16];
  for (int I = 0; I < 16; ++I)
    Bytes[I] = static_cast<unsigned char>(I);
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t") == 0) {
    __akeso_write_4(&Bytes[6]);
    memset(&Bytes[6], 0xff, 4);
    akeso_fault("unaligned");
  }
  for (int I = 0; I < 16; ++I)
    EXPECT_EQ(Bytes[I], I);
}

TEST(BasicDomain, FaultInChildRollsBackOnlyChild) {
  Global = 0;
  Other = 0;
  int ChildResult = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "parent") == 0) {
    store(&Global, 1L);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "child") == 0) {
      store(&Global, 2L);
      store(&Other, 2L);
      akeso_fault("child fault");
    } else {
      ChildResult = -1;
    }
    EXPECT_EQ(akeso_domain_depth(), 1u);
    EXPECT_EQ(Global, 1);
    EXPECT_EQ(Other, 0);
    store(&Other, 3L);
    akeso_domain_end();
  }
  EXPECT_EQ(ChildResult, -1);
  EXPECT_EQ(Global, 1);
  EXPECT_EQ(Other, 3);
}

TEST(BasicDomain, CompletedChildMergesAndParentFaultUndoesIt) {
  Global = 0;
  Other = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "parent") == 0) {
    store(&Global, 1L);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "child") == 0) {
      store(&Other, 2L);
      store(&Global, 2L);
      akeso_domain_end();
    }
    // After the merge the parent owns the child's words: writing them again
    // needs no new record, and its rollback undoes both.
    store(&Other, 3L);
    akeso_fault("parent fault");
  }
  EXPECT_EQ(Global, 0);
  EXPECT_EQ(Other, 0);
}

TEST(BasicDomain, UndoActionsRunInReverseAndDeferredOnlyOnCommit) {
  Events.clear();
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t") == 0) {
    akeso_log_undo(recordUndo, reinterpret_cast<void *>(1));
    akeso_defer(recordDeferred, reinterpret_cast<void *>(1));
    akeso_log_undo(recordUndo, reinterpret_cast<void *>(2));
    akeso_fault("undo");
  }
  EXPECT_EQ(Events, (std::vector<int>{2, 1}));

  Events.clear();
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t") == 0) {
    akeso_log_undo(recordUndo, reinterpret_cast<void *>(1));
    akeso_defer(recordDeferred, reinterpret_cast<void *>(1));
    akeso_defer(recordDeferred, reinterpret_cast<void *>(2));
    akeso_domain_end();
  }
  EXPECT_EQ(Events, (std::vector<int>{101, 102}));

  Events.clear();
  akeso_defer(recordDeferred, reinterpret_cast<void *>(3));
  EXPECT_EQ(Events, (std::vector<int>{103})) << "outside a domain: at once";
}

TEST(BasicDomain, ReleaseIsDeferredAndAllocationUndone) {
  Events.clear();
  // Released inside a rolled-back domain: must still be usable afterwards.
  auto *Keep = static_cast<long *>(malloc(sizeof(long)));
  *Keep = 11;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "t") == 0) {
    store(Keep, 12L);
    __akeso_release(Keep, reinterpret_cast<void *>(&free));
    __akeso_allocated(malloc(64), reinterpret_cast<void *>(&free));
    akeso_fault("release");
  }
  EXPECT_EQ(*Keep, 11);
  free(Keep);
}

TEST(BasicDomainDeathTest, FaultOutsideDomainReportsAndAborts) {
  EXPECT_DEATH(akeso_fault("nobody home"),
               "fault outside any recoverable domain: nobody home at .*"
               "domain_test.cpp:[0-9]+");
}

TEST(BasicDomainDeathTest, InvalidKindIsRejected) {
  EXPECT_DEATH((void)akeso_domain_begin(akeso_domain_kind(7), "r"),
               "domain 'r': invalid domain kind 7");
}

TEST(BasicDomainDeathTest, FaultInUnloggedDomainIsFatal) {
  EXPECT_DEATH(
      {
        if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "outer") == 0) {
          (void)akeso_domain_begin(AKESO_UNLOGGED, "device");
          akeso_fault("device wedged");
        }
      },
      "fault in unlogged domain 'device': device wedged.*never rolled back");
}

TEST(BasicDomain, WideWriteAcrossVersionChunksIsRestored) {
  // Version records come in chunks covering 8 MiB of address space; a
  // range write that starts unaligned just below a chunk boundary and ends
  // above it must log every word on both sides.
  constexpr size_t ChunkSpan =
      size_t(1) << (AKESO_VERSION_CHUNK_SHIFT + AKESO_VERSION_WORD_SHIFT);
  static std::vector<unsigned char> Memory(3 * ChunkSpan);
  auto Base = reinterpret_cast<uintptr_t>(Memory.data());
  uintptr_t Boundary = (Base + 2 * ChunkSpan) & ~(ChunkSpan - 1);
  auto *Start = reinterpret_cast<unsigned char *>(Boundary - 4099);
  constexpr size_t Length = 12345;
  for (size_t I = 0; I < Length + 16; ++I)
    Start[I] = static_cast<unsigned char>(I * 7);
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "wide") == 0) {
    __akeso_write_range(Start, Length);
    memset(Start, 0xee, Length);
    akeso_fault("wide");
  }
  for (size_t I = 0; I < Length + 16; ++I)
    ASSERT_EQ(Start[I], static_cast<unsigned char>(I * 7)) << "byte " << I;
}
