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

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace akeso::rt {

using ActionFn = void (*)(void *);

struct UndoRecord {
  // A word address (8-aligned), or an odd tag below (low byte) with, for
  // actions, the number of payload records that precede it (above the low
  // byte).
  uintptr_t Target;
  uint64_t Old;     // old word contents, the action's function, or a payload
  uint64_t OldMeta; // replaced version record, or the action's argument

  static constexpr uintptr_t UndoActionTag = 1;
  static constexpr uintptr_t DeferredActionTag = 3;
  // An action or word that no longer applies (a lock the domain acquired
  // and then released itself, a word a rollback already handled): skipped
  // by rollback and commit.
  static constexpr uintptr_t CancelledTag = 5;
  // One 64-bit argument of the action record that follows (Old).
  static constexpr uintptr_t PayloadTag = 7;
  // Brackets the records of a reversible domain nested in a logged one.
  // Begin's Old is the index one past the matching end once the domain has
  // completed (0 while it runs), End's Old the index of the begin: the
  // enclosing domain's commit and rollback skip the bracket, which belongs
  // to the reversible domain (committed on its own; undone by its inverse).
  static constexpr uintptr_t SegmentBeginTag = 9;
  static constexpr uintptr_t SegmentEndTag = 11;
  // An undo action that releases memory the domain allocated (free,
  // operator delete).  A rollback may postpone it while threads it rolled
  // back have not yet reached their safe points (release_limbo.h).
  static constexpr uintptr_t ReleaseActionTag = 13;

  static constexpr uintptr_t action(uintptr_t Tag, unsigned Payload) {
    return Tag | (uintptr_t(Payload) << 8);
  }
  uintptr_t tag() const { return Target & 0xff; }
  unsigned payloadCount() const { return unsigned(Target >> 8); }
  bool isWord() const { return (Target & 1) == 0; }
  bool isUndoAction() const {
    return tag() == UndoActionTag || tag() == ReleaseActionTag;
  }
  bool isReleaseAction() const { return tag() == ReleaseActionTag; }
  bool isDeferredAction() const { return tag() == DeferredActionTag; }
  bool isSegmentBegin() const { return tag() == SegmentBeginTag; }
  bool isSegmentEnd() const { return tag() == SegmentEndTag; }
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
  const UndoRecord &operator[](size_t I) const { return Base[I]; }

  void push(const UndoRecord &R) {
    if (__builtin_expect(Size == Capacity, 0))
      overflow();
    // The record before the size: a thread halted for a rollback may be
    // interrupted here, and the rollback must never read a record that is
    // counted but not written.
    Base[Size] = R;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    ++Size;
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
