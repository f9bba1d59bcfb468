//===- allocation_hooks.cpp - allocation and release inside domains -------===//
//
// A rollback restores old words in place, so memory a domain released must
// still be there: releases inside a logged domain are deferred to its
// commit and dropped if it rolls back.  Memory a domain allocated is
// released again by an undo action, which runs after the words written into
// it have been restored (it was logged first, so it is undone last).
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "domains.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <malloc.h>

using namespace akeso::rt;

namespace {
void freeObject(void *P) { free(P); }
} // namespace

extern "C" {

void __akeso_release(void *Object, void *ReleaseFn) {
  ThreadState *T = enterRuntime();
  if (!Object)
    return;
  // Every release the pass routes here is of the malloc family (free,
  // operator delete), so the object's extent is known.
  if (releaseCanDepend())
    noteObjectRelease(T, Object, malloc_usable_size(Object));
  deferAction(T, reinterpret_cast<ActionFn>(ReleaseFn), Object);
}

// Logs the release before the safe point, so a pending rollback frees it.
void __akeso_allocated(void *Object, void *ReleaseFn) {
  ThreadState *T = thread();
  if (Object)
    logReleaseAction(T, reinterpret_cast<ActionFn>(ReleaseFn), Object);
  enterRuntime();
}

// realloc may free its argument, which a rolled-back domain would then write
// into; inside a domain it becomes allocate, copy, deferred release.
void *__akeso_realloc(void *Old, size_t Size) {
  ThreadState *T = enterRuntime();
  if (T->CurrentId == 0)
    return realloc(Old, Size);
  if (Old && Size == 0) {
    if (releaseCanDepend())
      noteObjectRelease(T, Old, malloc_usable_size(Old));
    deferAction(T, freeObject, Old);
    return nullptr;
  }
  void *New = malloc(Size);
  if (!New)
    return nullptr;
  logReleaseAction(T, freeObject, New);
  if (Old) {
    size_t OldSize = malloc_usable_size(Old);
    if (releaseCanDepend())
      noteObjectRelease(T, Old, OldSize);
    memcpy(New, Old, OldSize < Size ? OldSize : Size);
    deferAction(T, freeObject, Old);
  }
  return New;
}

void *__akeso_reallocarray(void *Old, size_t Count, size_t Size) {
  size_t Bytes;
  if (__builtin_mul_overflow(Count, Size, &Bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __akeso_realloc(Old, Bytes);
}

} // extern "C"
