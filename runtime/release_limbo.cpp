//===- release_limbo.cpp - releases held back while rolled-back threads run
#include "release_limbo.h"

#include "stop_world.h"

namespace akeso::rt {

namespace {

struct HeldRelease {
  ActionFn Fn;
  void *Arg;
};

// Address space only: pages are touched as releases are held.
constexpr size_t MaxHeld = size_t(1) << 22;

platform::SpinLock Lock;
HeldRelease *Held = nullptr;
size_t HeldCount = 0;
// Threads with a rollback pending that counted themselves in.
size_t Pending = 0;

// The lock is taken inside a critical section: a thread halted while
// holding it would block the rollback that halted it (limboAddPending).
class LimboSection {
public:
  explicit LimboSection(ThreadState *T) : T(T) {
    T->InCritical.store(T->InCritical.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    Lock.lock();
  }
  ~LimboSection() {
    Lock.unlock();
    leaveCritical(T);
  }

private:
  ThreadState *T;
};

} // namespace

void limboAddPending(ThreadState *Self) {
  LimboSection Section(Self);
  ++Pending;
}

void limboPendingDone(ThreadState *T) {
  LimboSection Section(T);
  if (Pending == 0 || --Pending != 0)
    return;
  // Every thread the rollbacks took has left the code that could still
  // hold pointers into these objects.
  for (size_t I = HeldCount; I-- > 0;)
    Held[I].Fn(Held[I].Arg);
  HeldCount = 0;
}

void limboRelease(ThreadState *T, ActionFn Fn, void *Arg) {
  {
    LimboSection Section(T);
    if (Pending != 0) {
      if (!Held)
        Held = static_cast<HeldRelease *>(
            platform::reserveZeroed(MaxHeld * sizeof(HeldRelease)));
      // Out of room (millions of releases held): release now rather than
      // fail the rollback; only a thread still running stale code could
      // notice.
      if (Held && HeldCount < MaxHeld) {
        Held[HeldCount++] = HeldRelease{Fn, Arg};
        return;
      }
    }
  }
  Fn(Arg);
}

} // namespace akeso::rt
