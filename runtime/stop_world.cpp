//===- stop_world.cpp - halting the other threads for a rollback ----------===//
#include "stop_world.h"

#include "report.h"

namespace akeso::rt {

namespace {

// Odd while a stop is in progress.
std::atomic<uint64_t> StopEpoch{0};
std::atomic<size_t> Halted{0};

void waitForResume(ThreadState *T, uint64_t Epoch) {
  T->PausedEpoch = Epoch;
  Halted.fetch_add(1, std::memory_order_acq_rel);
  while (StopEpoch.load(std::memory_order_acquire) == Epoch)
    platform::yieldProcessor();
}

void onPauseSignal(bool InSyscall, uintptr_t SP) {
  ThreadState *T = platform::currentThread();
  if (!T)
    return;
  uint64_t Epoch = StopEpoch.load(std::memory_order_acquire);
  if (!(Epoch & 1) || T->PausedEpoch == Epoch)
    return;
  if (T->InCritical.load(std::memory_order_relaxed)) {
    T->PausePending.store(true, std::memory_order_relaxed);
    return;
  }
  T->PausedStackPointer = SP;
  T->PausedInUserCode = !InSyscall;
  waitForResume(T, Epoch);
}

} // namespace

void initStopWorld() { platform::installThreadSignals(onPauseSignal); }

void pausePoint(ThreadState *T) {
  T->PausePending.store(false, std::memory_order_relaxed);
  uint64_t Epoch = StopEpoch.load(std::memory_order_acquire);
  if (!(Epoch & 1) || T->PausedEpoch == Epoch)
    return;
  T->PausedStackPointer = platform::stackPointer();
  T->PausedInUserCode = false;
  waitForResume(T, Epoch);
}

void stopWorld(ThreadState *Self) {
  lockRegistry();
  Halted.store(0, std::memory_order_relaxed);
  uint64_t Epoch = StopEpoch.fetch_add(1, std::memory_order_acq_rel) + 1;
  Self->PausedEpoch = Epoch;
  Self->Counters.WorldStops.add();
  size_t Expected = 0;
  for (ThreadState *T = firstThread(); T; T = T->NextInRegistry) {
    if (T == Self || T->Exited)
      continue;
    ++Expected;
    if (!platform::sendPause(T->Handle))
      fatal("cannot signal a thread to stop it for a rollback");
  }
  while (Halted.load(std::memory_order_acquire) != Expected)
    platform::yieldProcessor();
}

void resumeWorld(ThreadState *) {
  StopEpoch.fetch_add(1, std::memory_order_acq_rel);
  unlockRegistry();
}

void kickThread(ThreadState *T) { platform::sendKick(T->Handle); }

} // namespace akeso::rt
