//===- stop_world.cpp - halting the other threads for a rollback ----------===//
#include "stop_world.h"

#include "report.h"

namespace akeso::rt {

namespace {

// Odd while a stop is in progress.
std::atomic<uint64_t> StopEpoch{0};
// Bumped at every resume; halted threads sleep on it (futex), so they run
// again as soon as the stop ends rather than when a yield loop gets a core.
std::atomic<uint32_t> ResumeCount{0};
std::atomic<size_t> Halted{0};
// Threads the current stop halted (under the registry lock).
size_t HaltedThreads = 0;

// Acknowledges stop Epoch once per thread, even when the pause signal
// interrupts pausePoint half-way: PausedEpoch is claimed first, so the other
// path sees it; and an acknowledgement for a stop that already ended (a
// handler acknowledged and waited it out meanwhile) is not counted, or it
// would be counted for the next stop instead of a thread really halted.
void haltUntilResumed(ThreadState *T, uint64_t Epoch, uintptr_t SP,
                      bool InUserCode) {
  T->PausedEpoch = Epoch;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (StopEpoch.load(std::memory_order_acquire) != Epoch)
    return;
  T->PausedStackPointer = SP;
  T->PausedInUserCode = InUserCode;
  Halted.fetch_add(1, std::memory_order_acq_rel);
  for (;;) {
    uint32_t Resumes = ResumeCount.load(std::memory_order_acquire);
    if (StopEpoch.load(std::memory_order_acquire) != Epoch)
      break;
    platform::waitOnWord(reinterpret_cast<const uint32_t *>(&ResumeCount),
                         Resumes);
  }
}

// InForeignCode: halted in code akeso did not compile (libc, a system call),
// so not between a version check and its store.
void onPauseSignal(bool InForeignCode, uintptr_t SP) {
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
  haltUntilResumed(T, Epoch, SP, !InForeignCode || T->InPausePoint);
}

} // namespace

void initStopWorld() { platform::installThreadSignals(onPauseSignal); }

void pausePoint(ThreadState *T) {
  T->PausePending.store(false, std::memory_order_relaxed);
  uint64_t Epoch = StopEpoch.load(std::memory_order_acquire);
  if (!(Epoch & 1) || T->PausedEpoch == Epoch)
    return;
  // A pause at the end of a write hook comes just before the store the hook
  // announced: as far as the rollback is concerned the thread is in
  // compiled code.
  T->InPausePoint = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  haltUntilResumed(T, Epoch, platform::stackPointer(), true);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  T->InPausePoint = false;
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
  HaltedThreads = Expected;
}

void resumeWorld(ThreadState *) {
  StopEpoch.fetch_add(1, std::memory_order_acq_rel);
  ResumeCount.fetch_add(1, std::memory_order_acq_rel);
  // No system call when the stop halted no thread (a single-threaded
  // process: every rollback would pay for it).
  if (HaltedThreads)
    platform::wakeWordWaiters(reinterpret_cast<const uint32_t *>(&ResumeCount));
  unlockRegistry();
}

void kickThread(ThreadState *T) { platform::sendKick(T->Handle); }

} // namespace akeso::rt
