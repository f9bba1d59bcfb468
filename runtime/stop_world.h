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

class CriticalSection {
public:
  explicit CriticalSection(ThreadState *T) : T(T) {
    T->InCritical.store(true, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  ~CriticalSection() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    T->InCritical.store(false, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (__builtin_expect(T->PausePending.load(std::memory_order_relaxed), 0))
      pausePoint(T);
  }

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
