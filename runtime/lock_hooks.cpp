//===- lock_hooks.cpp - locks taken and released inside domains -----------===//
//
// 004 §5.2: locks are not reversible domains (deferring an unlock to commit
// could deadlock), but a rollback must leave them as they were when the
// domain began.  An acquire inside a logged domain logs the matching
// release as an undo action; a release cancels that action if this thread's
// domains logged it, and otherwise logs a re-acquire, so the caller that
// held the lock around the domain still holds it after a rollback.  Undo
// actions run in reverse order with the memory restores, so the data a lock
// protects is restored before the lock is released.  The lock word itself
// is written inside libc and never logged, which is what keeps domains that
// merely use the same lock from looking dependent.
//
// A read-write lock released without a logged acquire is not re-acquired:
// which of its modes the caller held is not known.  User space only.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "domains.h"

#include <pthread.h>

using namespace akeso::rt;

namespace {

template <int (*Release)(void *)> void releaseAction(void *Lock) {
  Release(Lock);
}

int unlockMutex(void *M) {
  return pthread_mutex_unlock(static_cast<pthread_mutex_t *>(M));
}
int lockMutex(void *M) {
  return pthread_mutex_lock(static_cast<pthread_mutex_t *>(M));
}
int unlockRwlock(void *L) {
  return pthread_rwlock_unlock(static_cast<pthread_rwlock_t *>(L));
}
int unlockSpin(void *S) {
  return pthread_spin_unlock(static_cast<pthread_spinlock_t *>(S));
}
int lockSpin(void *S) {
  return pthread_spin_lock(static_cast<pthread_spinlock_t *>(S));
}

// After a successful acquire.  The release is logged before the safe point,
// so a rollback pending for this thread releases the lock it just took.
int acquired(int Result, void *Lock, ActionFn Undo) {
  ThreadState *T = thread();
  if (Result == 0)
    logUndoAction(T, Undo, Lock);
  enterRuntime();
  return Result;
}

// Before a release.
void releasing(void *Lock, ActionFn UndoOfAcquire, ActionFn Reacquire) {
  ThreadState *T = enterRuntime();
  if (!cancelUndoAction(T, UndoOfAcquire, Lock) && Reacquire)
    logUndoAction(T, Reacquire, Lock);
}

constexpr ActionFn MutexUnlock = releaseAction<unlockMutex>;
constexpr ActionFn MutexLock = releaseAction<lockMutex>;
constexpr ActionFn RwlockUnlock = releaseAction<unlockRwlock>;
constexpr ActionFn SpinUnlock = releaseAction<unlockSpin>;
constexpr ActionFn SpinLock = releaseAction<lockSpin>;

} // namespace

extern "C" {

// Blocking acquires are safe points first: a thread whose domain another
// thread rolled back must not wait for a lock before undoing it.
int __akeso_mutex_lock(void *M) {
  enterRuntime();
  return acquired(lockMutex(M), M, MutexUnlock);
}
int __akeso_mutex_trylock(void *M) {
  return acquired(pthread_mutex_trylock(static_cast<pthread_mutex_t *>(M)), M,
                  MutexUnlock);
}
int __akeso_mutex_unlock(void *M) {
  releasing(M, MutexUnlock, MutexLock);
  return unlockMutex(M);
}

int __akeso_rwlock_rdlock(void *L) {
  enterRuntime();
  return acquired(pthread_rwlock_rdlock(static_cast<pthread_rwlock_t *>(L)),
                  L, RwlockUnlock);
}
int __akeso_rwlock_wrlock(void *L) {
  enterRuntime();
  return acquired(pthread_rwlock_wrlock(static_cast<pthread_rwlock_t *>(L)),
                  L, RwlockUnlock);
}
int __akeso_rwlock_tryrdlock(void *L) {
  return acquired(
      pthread_rwlock_tryrdlock(static_cast<pthread_rwlock_t *>(L)), L,
      RwlockUnlock);
}
int __akeso_rwlock_trywrlock(void *L) {
  return acquired(
      pthread_rwlock_trywrlock(static_cast<pthread_rwlock_t *>(L)), L,
      RwlockUnlock);
}
int __akeso_rwlock_unlock(void *L) {
  releasing(L, RwlockUnlock, nullptr);
  return unlockRwlock(L);
}

int __akeso_spin_lock(void *S) {
  enterRuntime();
  return acquired(lockSpin(S), S, SpinUnlock);
}
int __akeso_spin_trylock(void *S) {
  return acquired(pthread_spin_trylock(static_cast<pthread_spinlock_t *>(S)),
                  S, SpinUnlock);
}
int __akeso_spin_unlock(void *S) {
  releasing(S, SpinUnlock, SpinLock);
  return unlockSpin(S);
}

} // extern "C"
