//===- store_test.cpp - page copies, index arrays, the page map ----------===//
#include "pages/host.h"
#include "pages/store.h"

#include <gtest/gtest.h>

using namespace akeso::pages;

TEST(PagesStore, PagesAreRecycledAndCounted) {
  char Why[128];
  ASSERT_TRUE(storeInit(Why, sizeof(Why))) << Why;
  storeReset();
  char *A = pageAlloc();
  char *B = pageAlloc();
  EXPECT_NE(A, B);
  A[0] = 1;
  B[PageSize - 1] = 2; // a whole page is usable
  EXPECT_EQ(pagesHeld(), 2u);
  pageFree(A);
  EXPECT_EQ(pagesHeld(), 1u);
  EXPECT_EQ(pageAlloc(), A); // the freed one first
  EXPECT_EQ(pagesPeak(), 2u);
  storeReset();
  EXPECT_EQ(pagesHeld(), 0u);
}

TEST(PagesStore, SavedArraysBySizeClass) {
  char Why[128];
  ASSERT_TRUE(storeInit(Why, sizeof(Why))) << Why;
  SavedPage *A = savedAlloc(5); // class 8
  for (int I = 0; I < 5; ++I)
    A[I] = SavedPage{uintptr_t(I) * PageSize, nullptr};
  savedFree(A, 5);
  EXPECT_EQ(savedAlloc(7), A); // same class: reused
  SavedPage *B = savedAlloc(9);  // class 16: new
  EXPECT_NE(B, A);
  EXPECT_EQ(savedAlloc(0), nullptr);
  storeReset();
}

TEST(PagesStore, PageMapInsertFindClear) {
  PageMap M;
  ASSERT_TRUE(M.init(10));
  for (uintptr_t P = 1; P <= 500; ++P)
    M.at(P * PageSize) = P;
  EXPECT_EQ(M.size(), 500u);
  for (uintptr_t P = 1; P <= 500; ++P)
    ASSERT_EQ(M.get(P * PageSize), P);
  EXPECT_EQ(M.get(501 * PageSize), 0u);
  EXPECT_EQ(M.find(501 * PageSize), nullptr);
  *M.find(7 * PageSize) = 70;
  EXPECT_EQ(M.get(7 * PageSize), 70u);
  size_t Sum = 0;
  M.forEach([&](uintptr_t, uintptr_t V) { Sum += V; });
  EXPECT_EQ(Sum, 500u * 501u / 2 - 7 + 70);
  M.clear();
  EXPECT_EQ(M.size(), 0u);
  EXPECT_EQ(M.get(7 * PageSize), 0u);
  M.at(7 * PageSize) = 3; // usable again
  EXPECT_EQ(M.get(7 * PageSize), 3u);
}
