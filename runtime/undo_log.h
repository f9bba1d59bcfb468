//===- undo_log.h - a thread's log of undo records ------------------------===//
//
// One log per thread, in chronological order, shared by all domains nested
// on that thread: a domain owns the suffix that starts where the log ended
// when the domain began.  So a nested basic domain merges into its parent by
// doing nothing to the log, and a rollback walks one suffix backwards.
//
// A record is either a word's old contents (with the version record it
// replaced, so a rollback also restores who wrote it last) or an action: an
// undo action that runs if the domain rolls back, or a deferred action that
// runs when it commits.  Both kinds share the log so rollback undoes memory
// and runs undo actions in exactly the reverse order of execution.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_UNDO_LOG_H
#define AKESO_RUNTIME_UNDO_LOG_H

#include "version_table.h"

#include <cstddef>
#include <cstdint>

namespace akeso::rt {

using ActionFn = void (*)(void *);

struct UndoRecord {
  // A word address (8-aligned), or one of the odd tags below for actions.
  uintptr_t Target;
  uint64_t Old;     // old word contents, or the action's function
  uint64_t OldMeta; // replaced version record, or the action's argument

  static constexpr uintptr_t UndoActionTag = 1;
  static constexpr uintptr_t DeferredActionTag = 3;
  // An undo action that no longer applies (a lock the domain acquired and
  // then released itself): skipped by rollback and commit.
  static constexpr uintptr_t CancelledTag = 5;

  bool isWord() const { return (Target & 1) == 0; }
  bool isUndoAction() const { return Target == UndoActionTag; }
  bool isDeferredAction() const { return Target == DeferredActionTag; }
  ActionFn action() const { return reinterpret_cast<ActionFn>(Old); }
  void *argument() const { return reinterpret_cast<void *>(OldMeta); }
};

class UndoLog {
public:
  // Reserves room for `Capacity` records; memory is touched as it is used.
  bool init(size_t Capacity);
  void destroy();

  size_t size() const { return Size; }
  UndoRecord &operator[](size_t I) { return Base[I]; }

  void push(const UndoRecord &R) {
    if (__builtin_expect(Size == Capacity, 0))
      overflow();
    Base[Size++] = R;
  }
  void truncate(size_t NewSize) { Size = NewSize; }

private:
  [[noreturn]] void overflow();

  UndoRecord *Base = nullptr;
  size_t Size = 0;
  size_t Capacity = 0;
};

} // namespace akeso::rt

#endif
