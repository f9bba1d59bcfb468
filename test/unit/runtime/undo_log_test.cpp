//===- undo_log_test.cpp - the per-thread undo log ------------------------===//
#include "undo_log.h"

#include <gtest/gtest.h>

using namespace akeso::rt;

TEST(UndoLog, PushTruncateKeepsOrder) {
  UndoLog Log;
  ASSERT_TRUE(Log.init(1024));
  for (uint64_t I = 0; I < 100; ++I)
    Log.push(UndoRecord{I * 8, I, I + 1});
  ASSERT_EQ(Log.size(), 100u);
  EXPECT_EQ(Log[42].Old, 42u);
  EXPECT_EQ(Log[42].OldMeta, 43u);
  Log.truncate(10);
  EXPECT_EQ(Log.size(), 10u);
  Log.push(UndoRecord{UndoRecord::UndoActionTag, 7, 8});
  EXPECT_EQ(Log.size(), 11u);
  EXPECT_TRUE(Log[10].isUndoAction());
  EXPECT_FALSE(Log[10].isWord());
  EXPECT_TRUE(Log[9].isWord());
  Log.destroy();
}

TEST(UndoLog, RecordKindsAreDistinct) {
  UndoRecord Word{0x1000, 0, 0};
  UndoRecord Undo{UndoRecord::UndoActionTag, 0, 0};
  UndoRecord Deferred{UndoRecord::DeferredActionTag, 0, 0};
  EXPECT_TRUE(Word.isWord());
  EXPECT_TRUE(Undo.isUndoAction() && !Undo.isDeferredAction());
  EXPECT_TRUE(Deferred.isDeferredAction() && !Deferred.isUndoAction());
  EXPECT_FALSE(Undo.isWord() || Deferred.isWord());
}

TEST(UndoLogDeathTest, OverflowIsAClearFatalError) {
  EXPECT_DEATH(
      {
        UndoLog Log;
        (void)Log.init(4);
        for (int I = 0; I < 5; ++I)
          Log.push(UndoRecord{8, 0, 0});
      },
      "undo log full");
}
