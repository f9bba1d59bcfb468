//===- thread_state.h - a thread's domain stack, log and counters ---------===//
//
// Everything the fast paths touch lives in one per-thread record reached by
// a single TLS load.  The domain stack is a fixed reservation so the jmp_buf
// of a landing pad never moves while compiled code holds a pointer to it.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_THREAD_STATE_H
#define AKESO_RUNTIME_THREAD_STATE_H

#include "akeso/abi.h"
#include "akeso/akeso.h"
#include "domain_graph.h"
#include "platform/platform.h"
#include "undo_log.h"
#include "version_table.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace akeso::rt {

// A live domain on a thread's stack (004 §4.2: "the run-time maintains a
// stack of active domains").
struct Domain {
  platform::JumpBuffer LandingPad;
  DomainId Id = 0;
  size_t LogStart = 0;
  // Stack addresses below this are frames that die when control returns to
  // the landing pad; rollback must not write there (the runtime itself may
  // be running in them).
  uintptr_t LandingStackTop = 0;
  akeso_domain_kind Kind = AKESO_BASIC;
  const char *Name = "";
  const akeso_domain_desc *Desc = nullptr;
  // The domain's record in the dependence graph; null for unlogged ones.
  DomainNode *Node = nullptr;

  bool isLogged() const { return Kind != AKESO_UNLOGGED; }
};

// Counters owned by one thread and read by whoever prints statistics; the
// owner updates them with plain load+store (no locked instruction).
class Counter {
public:
  void add(uint64_t N = 1) {
    Value.store(Value.load(std::memory_order_relaxed) + N,
                std::memory_order_relaxed);
  }
  uint64_t get() const { return Value.load(std::memory_order_relaxed); }
  void reset() { Value.store(0, std::memory_order_relaxed); }

private:
  std::atomic<uint64_t> Value{0};
};

struct ThreadCounters {
  // Loads and Stores come first: compiled code counts them (abi.h).
  Counter Loads, Stores, LoggedWords, DomainsBegun, DomainsCommitted,
      DomainsMerged, DomainsRolledBack, UndoActionsRun, DeferredActionsRun,
      DependenceEdges, DomainsWaited, CollateralRollbacks, WorldStops,
      LoggedLoads, LoggedStores, UnloggedLoads, UnloggedStores,
      FaultsInjected;
};

struct ThreadState {
  // The id of the innermost logged domain, or 0 in the default unlogged
  // domain.  The write fast path compares version records against it.
  DomainId CurrentId = 0;
  // Fault injection: blocks until the next injected fault (abi.h).
  uint64_t InjectCountdown = 0;
  ThreadCounters Counters;
  unsigned Depth = 0;
  // While the runtime runs undo or deferred actions for this thread, the
  // domains below this depth are being torn down and cannot be rolled back
  // or ended; domains the actions begin themselves sit above it.
  unsigned RuntimeFloor = 0;
  bool InRuntime = false;
  Domain *Stack = nullptr;
  size_t StackCapacity = 0;
  UndoLog Log;
  // This thread's ring of domain records (domain_graph.h).
  size_t Ring = 0, RingCursor = 0;
  // Completed domains of this thread whose records still occupy its log.
  std::atomic<size_t> DetachedSegments{0};
  // The last domain the current one was found to depend on (or to be
  // nested in): repeated reads of its words need no graph work.
  DomainId EdgeCacheFrom = 0, EdgeCacheTo = 0;
  // Fault injection: whether a schedule runs on this thread, the countdown
  // kept aside while outside the covered code, the thread's generator, and
  // the blocks counted down so far.
  bool InjectArmed = false;
  uint64_t InjectSaved = 0, InjectRandom = 0, InjectBlocks = 0,
           InjectLastPeriod = 0;
  unsigned ThreadIndex = 0;
  // Domains this thread committed whose deferred actions it has yet to run.
  DomainNode *ToFinish = nullptr;

  // Stopping and rolling back from another thread (stop_world.h).
  platform::ThreadHandle Handle = 0;
  uintptr_t StackLow = 0, StackHigh = 0;
  std::atomic<unsigned> InCritical{0};
  std::atomic<bool> PausePending{false};
  uint64_t PausedEpoch = 0;
  // Inside pausePoint's wait: a pause signal taken there (its PC right after
  // the futex syscall) is a pause in the runtime, not in a system call.
  volatile bool InPausePoint = false;
  uintptr_t PausedStackPointer = 0;
  bool PausedInUserCode = false;
  // Set by the thread that rolled back some of this thread's domains: at
  // its next safe point this thread finishes the job (undo actions, words
  // to write again) and jumps to the landing pad of domain RollbackDepth.
  std::atomic<bool> RollbackPending{false};
  unsigned RollbackDepth = 0;
  bool RollbackRewrite = false;
  char RollbackReason[160] = "";
  bool Exited = false;
  // A memory-safety checker reported an error inside the current domain;
  // the next runtime entry rolls it back (checker_triggers.cpp).
  std::atomic<bool> CheckerFault{false};
  char CheckerReason[200] = "";
  const char *CheckerFile = nullptr;
  unsigned CheckerLine = 0;
  // Whether the write hook is reading the old contents of ProbedWord: a
  // fault there is the program's own (a store through a null pointer
  // included).
  volatile bool Probing = false;
  uintptr_t ProbedWord = 0;
  ThreadState *NextInRegistry = nullptr;

  Domain *innermost() { return Depth ? &Stack[Depth - 1] : nullptr; }
};

static_assert(offsetof(ThreadState, CurrentId) ==
              AKESO_THREAD_CURRENT_ID_OFFSET);
static_assert(offsetof(ThreadState, InjectCountdown) ==
              AKESO_THREAD_INJECT_COUNTDOWN_OFFSET);
static_assert(offsetof(ThreadState, Counters) +
                  offsetof(ThreadCounters, Loads) ==
              AKESO_THREAD_LOADS_OFFSET);
static_assert(offsetof(ThreadState, Counters) +
                  offsetof(ThreadCounters, Stores) ==
              AKESO_THREAD_STORES_OFFSET);
static_assert(sizeof(Counter) == sizeof(uint64_t));

// The calling thread's state, created on first use.
ThreadState *createThreadState();
inline ThreadState *thread() {
  ThreadState *T = platform::currentThread();
  if (__builtin_expect(T == nullptr, 0))
    T = createThreadState();
  return T;
}

void initRuntime();

// The thread registry, for stopping the world and scanning domain records.
// Set once a second thread has used the runtime: until then no domain but
// the current thread's own can have written anything speculative.
extern std::atomic<bool> SeveralThreads;

void lockRegistry();
void unlockRegistry();
ThreadState *firstThread();

} // namespace akeso::rt

#endif
