//===- stop_world.h - halting the other threads for a rollback ------------===//
//
// 004 §4.4: "during rollback, all processors are halted at a known state".
// In user space a thread is halted either at a pause point of its own (the
// runtime is between operations) or, wherever it is, by a signal whose
// handler waits.  Runtime operations that leave shared state half-updated
// (logging a first write, forming an edge, releasing versions) run as
// critical sections: a pause signal arriving inside one is deferred to the
// section's end.  The handler never jumps anywhere; a thread that must roll
// back does so at its next safe point (rollback.h).
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_STOP_WORLD_H
#define AKESO_RUNTIME_STOP_WORLD_H

#include "thread_state.h"

namespace akeso::rt {

void initStopWorld();

// If another thread is stopping the world, acknowledges and waits for the
// end of the stop.  Only where T holds nothing half-updated.
void pausePoint(ThreadState *T);

// Another thread rolled back some of T's domains (rollback.cpp).
[[noreturn]] void finishRollback(ThreadState *T);

// Critical sections nest.  Entering the outermost one is a safe point: a
// rollback pending for T happens there instead (enterCritical does not
// return).  Inside, no pause can intervene, so no rollback can start
// involving T's domains except where T itself waits at a pause point (the
// graph lock), after which it must check RollbackPending again.
inline void enterCritical(ThreadState *T) {
  unsigned Depth = T->InCritical.load(std::memory_order_relaxed);
  T->InCritical.store(Depth + 1, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (Depth == 0 &&
      __builtin_expect(T->RollbackPending.load(std::memory_order_acquire), 0)) {
    T->InCritical.store(0, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    finishRollback(T);
  }
}

inline void leaveCritical(ThreadState *T) {
  std::atomic_signal_fence(std::memory_order_seq_cst);
  unsigned Depth = T->InCritical.load(std::memory_order_relaxed) - 1;
  T->InCritical.store(Depth, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (Depth == 0 &&
      __builtin_expect(T->PausePending.load(std::memory_order_relaxed), 0))
    pausePoint(T);
}

class CriticalSection {
public:
  explicit CriticalSection(ThreadState *T) : T(T) { enterCritical(T); }
  ~CriticalSection() { leaveCritical(T); }

private:
  ThreadState *T;
};

// Halts every other registered thread; returns once all are halted.  Holds
// the registry lock until resumeWorld, so no thread starts or ends between.
void stopWorld(ThreadState *Self);
void resumeWorld(ThreadState *Self);

// After resumeWorld: interrupts T's blocking system call, if any, so it
// reaches a safe point.
void kickThread(ThreadState *T);

} // namespace akeso::rt

#endif
