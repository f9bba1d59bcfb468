//===- thread_state.cpp - runtime start-up, threads and statistics --------===//
//
// Threads register on first use and fold their counters into the process
// totals when they exit, so `stats=1` counts the work of every thread that
// ever ran, not just the ones still alive at exit.
//
//===----------------------------------------------------------------------===//
#include "thread_state.h"

#include "domains.h"
#include "fault_injection.h"
#include "options.h"
#include "report.h"
#include "stop_world.h"

#include <new>

namespace akeso::rt {

namespace {

platform::GlobalLock RegistryLock;
ThreadState *Registry = nullptr;
// Counters of threads that have exited.
ThreadCounters Retired;
std::atomic<bool> Initialized{false};
std::atomic<unsigned> NextThreadIndex{0};

void addCounters(ThreadCounters &To, const ThreadCounters &From) {
  To.Loads.add(From.Loads.get());
  To.Stores.add(From.Stores.get());
  To.LoggedWords.add(From.LoggedWords.get());
  To.DomainsBegun.add(From.DomainsBegun.get());
  To.DomainsCommitted.add(From.DomainsCommitted.get());
  To.DomainsMerged.add(From.DomainsMerged.get());
  To.DomainsRolledBack.add(From.DomainsRolledBack.get());
  To.UndoActionsRun.add(From.UndoActionsRun.get());
  To.DeferredActionsRun.add(From.DeferredActionsRun.get());
  To.DependenceEdges.add(From.DependenceEdges.get());
  To.DomainsWaited.add(From.DomainsWaited.get());
  To.CollateralRollbacks.add(From.CollateralRollbacks.get());
  To.WorldStops.add(From.WorldStops.get());
  To.LoggedLoads.add(From.LoggedLoads.get());
  To.LoggedStores.add(From.LoggedStores.get());
  To.UnloggedLoads.add(From.UnloggedLoads.get());
  To.UnloggedStores.add(From.UnloggedStores.get());
  To.FaultsInjected.add(From.FaultsInjected.get());
}

void onThreadExit(ThreadState *T) {
  if (T->Depth)
    report("thread exited inside %u active domain(s), innermost '%s'; "
           "their writes stay in place and are treated as committed",
           T->Depth, T->innermost()->Name);
  RegistryLock.lock();
  // Completed domains of this thread may still wait for others, and their
  // records live in this thread's log: keep the state (unregistered from
  // stops, still scanned by rollbacks) instead of freeing it.
  bool Keep = T->DetachedSegments.load(std::memory_order_acquire) != 0;
  if (Keep) {
    T->Exited = true;
  } else {
    addCounters(Retired, T->Counters);
    for (ThreadState **P = &Registry; *P; P = &(*P)->NextInRegistry)
      if (*P == T) {
        *P = T->NextInRegistry;
        break;
      }
  }
  RegistryLock.unlock();
  platform::setCurrentThread(nullptr);
  if (Keep)
    return;
  releaseRing(T->Ring);
  T->Log.destroy();
  platform::release(T->Stack, T->StackCapacity * sizeof(Domain));
  platform::release(T, sizeof(ThreadState));
}

void printStats() {
  ThreadCounters Sum;
  RegistryLock.lock();
  addCounters(Sum, Retired);
  for (ThreadState *T = Registry; T; T = T->NextInRegistry)
    addCounters(Sum, T->Counters);
  RegistryLock.unlock();
  report("stats: domains begun %llu, committed %llu, merged into parent %llu, "
         "rolled back %llu",
         (unsigned long long)Sum.DomainsBegun.get(),
         (unsigned long long)Sum.DomainsCommitted.get(),
         (unsigned long long)Sum.DomainsMerged.get(),
         (unsigned long long)Sum.DomainsRolledBack.get());
  report("stats: logged writes %llu, undo actions run %llu, deferred actions "
         "run %llu",
         (unsigned long long)Sum.LoggedWords.get(),
         (unsigned long long)Sum.UndoActionsRun.get(),
         (unsigned long long)Sum.DeferredActionsRun.get());
  report("stats: dependence edges %llu, domains that waited to commit %llu, "
         "rolled back as dependents %llu, world stops %llu",
         (unsigned long long)Sum.DependenceEdges.get(),
         (unsigned long long)Sum.DomainsWaited.get(),
         (unsigned long long)Sum.CollateralRollbacks.get(),
         (unsigned long long)Sum.WorldStops.get());
  // Counts not yet attributed (since the thread's last change of domain)
  // belong to whatever the thread runs now: at exit, mostly unlogged code.
  const uint64_t Loads = Sum.LoggedLoads.get() + Sum.UnloggedLoads.get() +
                         Sum.Loads.get(),
                 Stores = Sum.LoggedStores.get() + Sum.UnloggedStores.get() +
                          Sum.Stores.get();
  report("stats: instrumented loads %llu, stores %llu; version table: %zu "
         "chunks (%zu MiB of address space reserved)",
         (unsigned long long)Loads, (unsigned long long)Stores,
         Versions.chunksInUse(),
         Versions.chunksInUse() * ChunkWords * sizeof(VersionSlot) >> 20);
  auto Percent = [](uint64_t Part, uint64_t Whole) {
    return Whole ? 100.0 * double(Part) / double(Whole) : 0.0;
  };
  report("stats: coverage: in logged domains %llu loads (%.1f%%), %llu "
         "stores (%.1f%%); unlogged %llu loads, %llu stores",
         (unsigned long long)Sum.LoggedLoads.get(),
         Percent(Sum.LoggedLoads.get(), Loads),
         (unsigned long long)Sum.LoggedStores.get(),
         Percent(Sum.LoggedStores.get(), Stores),
         (unsigned long long)(Loads - Sum.LoggedLoads.get()),
         (unsigned long long)(Stores - Sum.LoggedStores.get()));
  if (Flags.Inject)
    report("stats: faults injected %llu",
           (unsigned long long)Sum.FaultsInjected.get());
}

} // namespace

void initRuntime() {
  bool Expected = false;
  if (!Initialized.compare_exchange_strong(Expected, true))
    return;
  parseOptions(platform::getConfig("AKESO_OPTIONS"));
  if (!Versions.init())
    fatal("cannot reserve the version table");
  initDomainGraph();
  initStopWorld();
  if (Flags.HandleSignals)
    installFaultTriggers();
  __akeso_version_directory = Versions.directory();
  if (Flags.Stats)
    platform::atProcessExit(printStats);
}

// Runs before main so option errors surface at start-up, not at the first
// instrumented access.
__attribute__((constructor)) static void initAtLoad() { initRuntime(); }

ThreadState *createThreadState() {
  initRuntime();
  void *Memory = platform::reserveZeroed(sizeof(ThreadState));
  if (!Memory)
    fatal("cannot reserve memory for a thread's state");
  auto *T = new (Memory) ThreadState();
  if (!T->Log.init((Flags.UndoLogMiB << 20) / sizeof(UndoRecord)))
    fatal("cannot reserve a %zu MiB undo log", Flags.UndoLogMiB);
  T->StackCapacity = Flags.MaxDomainDepth;
  T->Ring = allocateRing();
  armInjection(T, NextThreadIndex.fetch_add(1, std::memory_order_relaxed));
  T->Handle = platform::currentThreadHandle();
  platform::currentStackBounds(T->StackLow, T->StackHigh);
  T->Stack = static_cast<Domain *>(
      platform::reserveZeroed(T->StackCapacity * sizeof(Domain)));
  if (!T->Stack)
    fatal("cannot reserve a domain stack of depth %zu", T->StackCapacity);
  // Published before the calls below, which may allocate: an instrumented
  // allocator that replaces malloc must find the state, not create another.
  platform::setCurrentThread(T);
  RegistryLock.lock();
  if (Registry)
    SeveralThreads.store(true, std::memory_order_relaxed);
  T->NextInRegistry = Registry;
  Registry = T;
  RegistryLock.unlock();
  platform::registerThreadExit(T, onThreadExit);
  return T;
}

std::atomic<bool> SeveralThreads{false};

void lockRegistry() { RegistryLock.lock(); }
void unlockRegistry() { RegistryLock.unlock(); }
ThreadState *firstThread() { return Registry; }

} // namespace akeso::rt
