//===- atomic_hooks.cpp - C11/GCC atomics inside domains ------------------===//
//
// 004 §5.2 treats synchronization as what it is, not as data: two requests
// that take the same spinlock or bump the same counter must not become
// dependent, yet a rolled-back request must give back the lock it took and
// take back its increments.  So atomic read-modify-writes and stores never
// touch version records (no edge can form through them) and are undone by
// compensation instead of by restoring old contents:
//  - an atomic add of d is undone by adding -d, whatever other threads did
//    to the word since (a reversible counter);
//  - an exchange, successful compare-exchange or store that replaced f by w
//    is undone by "if the word still holds w, put f back", which releases a
//    spinlock the domain took and never clobbers a value another thread
//    stored since.  An exchange or store that undoes an earlier one of the
//    same thread's domains (the release of a spinlock they took) cancels
//    it instead: the lock is already free, and must stay free for others.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "domains.h"

using namespace akeso::rt;

namespace {

uint64_t widthMask(uint64_t Bytes) {
  return Bytes >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * Bytes)) - 1;
}

uint64_t loadWidth(const void *Addr, uint64_t Bytes) {
  switch (Bytes) {
  case 1:
    return __atomic_load_n(static_cast<const uint8_t *>(Addr), __ATOMIC_SEQ_CST);
  case 2:
    return __atomic_load_n(static_cast<const uint16_t *>(Addr),
                           __ATOMIC_SEQ_CST);
  case 4:
    return __atomic_load_n(static_cast<const uint32_t *>(Addr),
                           __ATOMIC_SEQ_CST);
  default:
    return __atomic_load_n(static_cast<const uint64_t *>(Addr),
                           __ATOMIC_SEQ_CST);
  }
}

template <typename U> void addAtomic(void *Addr, uint64_t Delta) {
  __atomic_fetch_add(static_cast<U *>(Addr), U(Delta), __ATOMIC_SEQ_CST);
}

template <typename U>
void compareRestore(void *Addr, uint64_t Wrote, uint64_t Found) {
  U Expected = U(Wrote);
  __atomic_compare_exchange_n(static_cast<U *>(Addr), &Expected, U(Found),
                              false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

// Undo actions; arguments as logged: {addr, bytes, delta}.
void undoAdd(void *Args) {
  auto *A = static_cast<const uint64_t *>(Args);
  void *Addr = reinterpret_cast<void *>(A[0]);
  uint64_t Minus = uint64_t(0) - A[2];
  switch (A[1]) {
  case 1:
    return addAtomic<uint8_t>(Addr, Minus);
  case 2:
    return addAtomic<uint16_t>(Addr, Minus);
  case 4:
    return addAtomic<uint32_t>(Addr, Minus);
  default:
    return addAtomic<uint64_t>(Addr, Minus);
  }
}

// {addr, bytes, found, wrote}.
void undoExchange(void *Args) {
  auto *A = static_cast<const uint64_t *>(Args);
  void *Addr = reinterpret_cast<void *>(A[0]);
  switch (A[1]) {
  case 1:
    return compareRestore<uint8_t>(Addr, A[3], A[2]);
  case 2:
    return compareRestore<uint16_t>(Addr, A[3], A[2]);
  case 4:
    return compareRestore<uint32_t>(Addr, A[3], A[2]);
  default:
    return compareRestore<uint64_t>(Addr, A[3], A[2]);
  }
}

bool validWidth(uint64_t Bytes) {
  return Bytes == 1 || Bytes == 2 || Bytes == 4 || Bytes == 8;
}

// Cancels the newest logged exchange of this thread's active domains on
// Addr that replaced `Wrote` by `Found` (which this exchange undoes).
bool cancelInverseExchange(ThreadState *T, uint64_t Addr, uint64_t Found,
                           uint64_t Wrote) {
  const size_t Oldest = T->Stack[0].LogStart;
  for (size_t I = T->Log.size(); I-- > Oldest;) {
    UndoRecord &R = T->Log[I];
    if (!R.isUndoAction() || R.action() != undoExchange ||
        R.payloadCount() != 4)
      continue;
    uint64_t LAddr = T->Log[I - 4].Old, LFound = T->Log[I - 2].Old,
             LWrote = T->Log[I - 1].Old;
    if (LAddr == Addr && LFound == Wrote && LWrote == Found) {
      R.Target = UndoRecord::CancelledTag;
      return true;
    }
  }
  return false;
}

void exchanged(ThreadState *T, void *Addr, uint64_t Bytes, uint64_t Found,
               uint64_t Wrote) {
  if (T->CurrentId == 0 || !validWidth(Bytes))
    return;
  const uint64_t Mask = widthMask(Bytes);
  Found &= Mask;
  Wrote &= Mask;
  if (Found == Wrote)
    return;
  const uint64_t A = reinterpret_cast<uint64_t>(Addr);
  if (cancelInverseExchange(T, A, Found, Wrote))
    return;
  ActionCall Call;
  Call.Thunk = undoExchange;
  Call.Count = 4;
  Call.Args[0] = A;
  Call.Args[1] = Bytes;
  Call.Args[2] = Found;
  Call.Args[3] = Wrote;
  logCall(T, UndoRecord::UndoActionTag, Call);
}

} // namespace

extern "C" {

// The read-modify-write hooks follow the operation: its compensation is
// logged before the safe point, so a rollback pending for this thread
// undoes it too.
void __akeso_atomic_add(void *Addr, size_t Bytes, size_t Delta) {
  ThreadState *T = thread();
  if (T->CurrentId == 0 || !validWidth(Bytes) ||
      (Delta & widthMask(Bytes)) == 0) {
    enterRuntime();
    return;
  }
  ActionCall Call;
  Call.Thunk = undoAdd;
  Call.Count = 3;
  Call.Args[0] = reinterpret_cast<uint64_t>(Addr);
  Call.Args[1] = Bytes;
  Call.Args[2] = Delta;
  logCall(T, UndoRecord::UndoActionTag, Call);
  enterRuntime();
}

void __akeso_atomic_exchanged(void *Addr, size_t Bytes, size_t Found,
                              size_t Wrote) {
  exchanged(thread(), Addr, Bytes, Found, Wrote);
  enterRuntime();
}

void __akeso_atomic_store(void *Addr, size_t Bytes, size_t Value) {
  ThreadState *T = enterRuntime();
  if (T->CurrentId == 0 || !validWidth(Bytes))
    return;
  exchanged(T, Addr, Bytes, loadWidth(Addr, Bytes), Value);
  // The store follows: a rollback that became pending meanwhile happens
  // here, before it.
  if (T->RollbackPending.load(std::memory_order_acquire))
    finishRollback(T);
}

} // extern "C"
