//===- release_limbo.h - releases held back while rolled-back threads run -===//
//
// A rollback that takes domains on other threads lets those threads run on
// in compiled code until their next runtime call (rollback.cpp: a thread is
// never unwound from where a signal caught it).  Until then such a thread
// may still read objects the rolled-back domains allocated: pointers to
// them are in its registers and locals.  Freeing those objects at once
// would let malloc hand their memory to someone else while the thread
// still follows pointers into it, and a garbage pointer passed on to libc
// is a crash no rollback can catch.
//
// So while any thread has a rollback pending, the releases that undo
// actions would make (ReleaseActionTag records: the allocations of the
// rolled-back domains) wait here; the thread whose safe point ends the last
// pending rollback performs them.  With no other thread involved (the
// common case) a release runs at once.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_RELEASE_LIMBO_H
#define AKESO_RUNTIME_RELEASE_LIMBO_H

#include "thread_state.h"
#include "undo_log.h"

namespace akeso::rt {

// A rollback (with the world stopped) left a thread's rollback pending.
void limboAddPending(ThreadState *Self);

// T performed its pending rollback's undo actions; if it was the last
// thread with one pending, the held releases run now, on T.
void limboPendingDone(ThreadState *T);

// Releases Arg with Fn now, or holds it while a rollback is pending.
void limboRelease(ThreadState *T, ActionFn Fn, void *Arg);

} // namespace akeso::rt

#endif
