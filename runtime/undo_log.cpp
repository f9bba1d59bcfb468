//===- undo_log.cpp - reservation and exhaustion of undo logs -------------===//
#include "undo_log.h"

#include "platform/platform.h"
#include "report.h"

namespace akeso::rt {

bool UndoLog::init(size_t Cap) {
  Base = static_cast<UndoRecord *>(
      platform::reserveZeroed(Cap * sizeof(UndoRecord)));
  Capacity = Base ? Cap : 0;
  Size = 0;
  return Base != nullptr;
}

void UndoLog::destroy() {
  if (Base)
    platform::release(Base, Capacity * sizeof(UndoRecord));
  Base = nullptr;
  Capacity = Size = 0;
}

void UndoLog::overflow() {
  fatal("undo log full: the active domains of this thread logged %zu "
        "records; raise AKESO_OPTIONS=undo_log_mb=N (now %zu MiB) or make "
        "the domains smaller",
        Capacity, Capacity * sizeof(UndoRecord) >> 20);
}

} // namespace akeso::rt
