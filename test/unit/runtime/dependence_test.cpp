//===- dependence_test.cpp - domains on several threads (004 §4.2-4.4) ----===//
//
// Each test runs threads through a fixed interleaving (Steps) and calls the
// hooks compiled code would call: a read hook before each load, a write
// hook before each store.  A thread whose domain another thread rolled back
// notices at its next runtime call and resumes at its landing pad.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"
#include "akeso/akeso.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace {

template <typename T> void store(T *P, T V) {
  __akeso_write_range(P, sizeof(T));
  *P = V;
}
template <typename T> T load(const T *P) {
  __akeso_read_range(const_cast<T *>(P), sizeof(T));
  return *P;
}

// A fixed interleaving: waitFor(n) blocks until some thread reached n.
class Steps {
public:
  void reach(int Step) {
    std::lock_guard<std::mutex> L(M);
    Now = std::max(Now, Step);
    CV.notify_all();
  }
  void waitFor(int Step) {
    std::unique_lock<std::mutex> L(M);
    CV.wait(L, [&] { return Now >= Step; });
  }

private:
  std::mutex M;
  std::condition_variable CV;
  int Now = 0;
};

void setFlag(void *Flag) {
  static_cast<std::atomic<int> *>(Flag)->fetch_add(1);
}

} // namespace

TEST(Dependence, ReaderOfSpeculativeDataRollsBackWithTheWriter) {
  static long X, Y;
  X = Y = 0;
  Steps S;
  int A = 0, B = 0;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "writer") == 0) {
      store(&X, 1L);
      S.reach(1);
      S.waitFor(2);
      akeso_fault("writer failed");
    }
    A = -1;
    S.reach(3);
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "reader") == 0) {
      store(&Y, load(&X) + 10);
      S.reach(2);
      S.waitFor(3);
      store(&Y, 99L); // the first runtime call after the rollback
      akeso_domain_end();
      B = 1;
    } else {
      B = -1;
    }
  });
  TA.join();
  TB.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(B, -1);
  EXPECT_EQ(X, 0);
  EXPECT_EQ(Y, 0);
}

TEST(Dependence, ReaderOfCommittedDataIsUntouched) {
  static long X, Y;
  X = Y = 0;
  Steps S;
  int A = 0, B = 0;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "first") == 0) {
      store(&X, 1L);
      akeso_domain_end();
    }
    S.reach(1);
    S.waitFor(2);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "second") == 0) {
      store(&X, 2L);
      akeso_fault("second failed");
    }
    A = -1;
    S.reach(3);
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "reader") == 0) {
      store(&Y, load(&X) + 10);
      S.reach(2);
      S.waitFor(3);
      store(&Y, load(&Y) + 1);
      akeso_domain_end();
      B = 1;
    } else {
      B = -1;
    }
  });
  TA.join();
  TB.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(B, 1);
  EXPECT_EQ(X, 1);
  EXPECT_EQ(Y, 12);
}

TEST(Dependence, ChainAcrossThreeThreadsRollsBackTogether) {
  static long X, Y, Z;
  X = Y = Z = 0;
  Steps S;
  int A = 0, B = 0, C = 0;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "a") == 0) {
      store(&X, 1L);
      S.reach(1);
      S.waitFor(3);
      akeso_fault("a failed");
    }
    A = -1;
    S.reach(4);
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "b") == 0) {
      store(&Y, load(&X) + 1);
      S.reach(2);
      S.waitFor(4);
      store(&Y, 0L);
      B = 1;
    } else {
      B = -1;
    }
  });
  std::thread TC([&] {
    S.waitFor(2);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "c") == 0) {
      store(&Z, load(&Y) + 1);
      S.reach(3);
      S.waitFor(4);
      store(&Z, 0L);
      C = 1;
    } else {
      C = -1;
    }
  });
  TA.join();
  TB.join();
  TC.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(B, -1);
  EXPECT_EQ(C, -1);
  EXPECT_EQ(X, 0);
  EXPECT_EQ(Y, 0);
  EXPECT_EQ(Z, 0);
}

TEST(Dependence, CompletedDomainWaitsAndCommitsWithWhatItDependsOn) {
  static long X, Y;
  X = Y = 0;
  static std::atomic<int> WriterCommitted, ReaderCommitted;
  WriterCommitted = ReaderCommitted = 0;
  Steps S;
  int SeenAtEnd = -1, SeenLater = -1;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "writer") == 0) {
      store(&X, 1L);
      akeso_defer(setFlag, &WriterCommitted);
      S.reach(1);
      S.waitFor(2);
      akeso_domain_end();
    }
    S.reach(3);
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "reader") == 0) {
      store(&Y, load(&X) + 1);
      akeso_defer(setFlag, &ReaderCommitted);
      akeso_domain_end(); // completed, waiting for "writer"
      SeenAtEnd = ReaderCommitted.load();
    }
    S.reach(2);
    S.waitFor(3);
    SeenLater = ReaderCommitted.load();
  });
  TA.join();
  TB.join();
  EXPECT_EQ(SeenAtEnd, 0);
  EXPECT_EQ(SeenLater, 1);
  EXPECT_EQ(WriterCommitted.load(), 1);
  EXPECT_EQ(Y, 2);
}

TEST(Dependence, CycleAmongCompletedDomainsCommitsAsAGroup) {
  static long X, Y;
  X = Y = 0;
  static std::atomic<int> ACommitted, BCommitted;
  ACommitted = BCommitted = 0;
  Steps S;
  int AAfterEnd = -1;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "a") == 0) {
      store(&X, 1L);
      akeso_defer(setFlag, &ACommitted);
      S.reach(1);
      S.waitFor(2);
      (void)load(&Y); // a depends on b, b depends on a
      akeso_domain_end();
      AAfterEnd = ACommitted.load();
    }
    S.reach(3);
  });
  std::thread TB([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "b") == 0) {
      store(&Y, 1L);
      akeso_defer(setFlag, &BCommitted);
      S.waitFor(1);
      (void)load(&X);
      S.reach(2);
      S.waitFor(3);
      akeso_domain_end(); // closes the cycle: both commit here
    }
  });
  TA.join();
  TB.join();
  EXPECT_EQ(AAfterEnd, 0);
  EXPECT_EQ(ACommitted.load(), 1);
  EXPECT_EQ(BCommitted.load(), 1);
}

TEST(Dependence, CompletedDependentIsUndoneWhenItsWriterFaults) {
  static long X, Y;
  X = Y = 0;
  static std::atomic<int> ReaderUndone, ReaderCommitted;
  ReaderUndone = ReaderCommitted = 0;
  Steps S;
  int A = 0, B = 0;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "writer") == 0) {
      store(&X, 7L);
      S.reach(1);
      S.waitFor(2);
      akeso_fault("writer failed");
    }
    A = -1;
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "reader") == 0) {
      store(&Y, load(&X) * 2);
      akeso_log_undo(setFlag, &ReaderUndone);
      akeso_defer(setFlag, &ReaderCommitted);
      akeso_domain_end();
      B = 1; // its caller saw it succeed
    }
    S.reach(2);
  });
  TA.join();
  TB.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(B, 1);
  EXPECT_EQ(X, 0);
  EXPECT_EQ(Y, 0);
  EXPECT_EQ(ReaderUndone.load(), 1);
  EXPECT_EQ(ReaderCommitted.load(), 0);
}

TEST(Dependence, TransparentDomainCommitsIgnoringItsDependences) {
  static long X, Y;
  X = Y = 0;
  static std::atomic<int> Committed;
  Committed = 0;
  Steps S;
  int A = 0, B = 0;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "writer") == 0) {
      store(&X, 3L);
      S.reach(1);
      S.waitFor(2);
      akeso_fault("writer failed");
    }
    A = -1;
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_TRANSPARENT, "lru") == 0) {
      store(&Y, load(&X) + 1);
      akeso_defer(setFlag, &Committed);
      akeso_domain_end();
      B = Committed.load();
    }
    S.reach(2);
  });
  TA.join();
  TB.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(B, 1);
  EXPECT_EQ(X, 0);
  EXPECT_EQ(Y, 4);
}

namespace {
long Pool;
uint64_t InverseArgument;
void releaseSlot(void *Args) {
  InverseArgument = static_cast<const uint64_t *>(Args)[0];
  Pool -= 1;
}
} // namespace

TEST(Domains, ReversibleDomainCommitsAndItsInverseRunsWhenTheParentRollsBack) {
  Pool = 0;
  InverseArgument = 0;
  long Table = 0;
  int Result = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "request") == 0) {
    store(&Table, 5L);
    (void)akeso_domain_begin(AKESO_REVERSIBLE, "alloc");
    store(&Pool, Pool + 1);
    __akeso_domain_end_inverse(reinterpret_cast<void *>(releaseSlot), 1,
                               uint64_t(42));
    EXPECT_EQ(akeso_domain_depth(), 1u);
    akeso_fault("request failed");
  } else {
    Result = -1;
  }
  EXPECT_EQ(Result, -1);
  EXPECT_EQ(Table, 0);
  EXPECT_EQ(InverseArgument, 42u);
  EXPECT_EQ(Pool, 0); // by the inverse: the allocation itself committed
}

TEST(Domains, FaultInReversibleDomainRollsBackOnlyIt) {
  Pool = 0;
  long Table = 0;
  int Outer = 0, Inner = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "request") == 0) {
    store(&Table, 5L);
    if (AKESO_DOMAIN_BEGIN(AKESO_REVERSIBLE, "alloc") == 0) {
      store(&Pool, 9L);
      akeso_fault("allocator failed");
    } else {
      Inner = -1;
    }
    akeso_domain_end();
    Outer = 1;
  }
  EXPECT_EQ(Inner, -1);
  EXPECT_EQ(Outer, 1);
  EXPECT_EQ(Pool, 0);
  EXPECT_EQ(Table, 5);
}

TEST(Domains, UnloggedWritesCommitAsIssuedAndTheirUndoRunsOnRollback) {
  Pool = 0;
  InverseArgument = 0;
  long Table = 0;
  int Result = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "request") == 0) {
    store(&Table, 1L);
    (void)akeso_domain_begin(AKESO_UNLOGGED, "counter_inc");
    store(&Pool, Pool + 1);
    store(&Table, 2L); // supersedes the request's speculative write
    __akeso_domain_end_inverse(reinterpret_cast<void *>(releaseSlot), 1,
                               uint64_t(7));
    akeso_fault("request failed");
  } else {
    Result = -1;
  }
  EXPECT_EQ(Result, -1);
  EXPECT_EQ(InverseArgument, 7u);
  EXPECT_EQ(Pool, 0);
  EXPECT_EQ(Table, 2);
}

TEST(Atomics, SpinlockTakenInARolledBackDomainIsReleased) {
  static int Lock;
  Lock = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "request") == 0) {
    int Expected = 0;
    ASSERT_TRUE(__atomic_compare_exchange_n(&Lock, &Expected, 1, false,
                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
    __akeso_atomic_exchanged(&Lock, 4, 0, 1);
    akeso_fault("failed holding the lock");
  }
  EXPECT_EQ(Lock, 0);
}

TEST(Atomics, SpinlockReleasedByItsDomainStaysReleasedForOthers) {
  static int Lock;
  Lock = 0;
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "request") == 0) {
    ASSERT_EQ(__atomic_exchange_n(&Lock, 1, __ATOMIC_ACQUIRE), 0);
    __akeso_atomic_exchanged(&Lock, 4, 0, 1);
    __akeso_atomic_store(&Lock, 4, 0);
    __atomic_store_n(&Lock, 0, __ATOMIC_RELEASE);
    // Another thread takes it now; the rollback must not release it.
    __atomic_store_n(&Lock, 2, __ATOMIC_RELAXED);
    akeso_fault("failed after unlocking");
  }
  EXPECT_EQ(Lock, 2);
}

TEST(Atomics, CounterIncrementsAreUndoneWithoutLosingOthers) {
  static long Counter;
  Counter = 0;
  Steps S;
  std::thread Other([&] {
    S.waitFor(1);
    __atomic_fetch_add(&Counter, 100, __ATOMIC_RELAXED);
    S.reach(2);
  });
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "request") == 0) {
    __atomic_fetch_add(&Counter, 5, __ATOMIC_RELAXED);
    __akeso_atomic_add(&Counter, 8, 5);
    S.reach(1);
    S.waitFor(2);
    akeso_fault("request failed");
  }
  Other.join();
  EXPECT_EQ(Counter, 100);
}

namespace {
std::atomic<int> Released;
void countingFree(void *P) {
  Released.fetch_add(1);
  free(P);
}
} // namespace

// Freeing an object is a use of all of it: a domain that frees an object
// another domain wrote (and has not committed) depends on that writer, even
// if it never read the words written.  Otherwise the free would commit, the
// memory be reused, and the writer's rollback restore words into it.
TEST(Dependence, FreeOfAnObjectAnotherDomainWroteIsUndoneWithTheWriter) {
  static long *Object;
  Object = static_cast<long *>(malloc(8 * sizeof(long)));
  for (int I = 0; I < 8; ++I)
    Object[I] = I;
  Released = 0;
  Steps S;
  int A = 0, B = 0;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "writer") == 0) {
      store(&Object[5], 50L);
      S.reach(1);
      S.waitFor(2);
      akeso_fault("writer failed");
    }
    A = -1;
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "freer") == 0) {
      __akeso_release(Object, reinterpret_cast<void *>(countingFree));
      akeso_domain_end();
      B = 1;
    }
    S.reach(2);
  });
  TA.join();
  TB.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(B, 1); // it completed, then was undone with the writer
  EXPECT_EQ(Released.load(), 0);
  EXPECT_EQ(Object[5], 5);
  free(Object);
}

TEST(Dependence, FreeOfAnObjectAnotherDomainWroteWaitsForItsCommit) {
  static long *Object;
  Object = static_cast<long *>(malloc(8 * sizeof(long)));
  Released = 0;
  Steps S;
  int ReleasedBeforeWriterCommitted = -1;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "writer") == 0) {
      store(&Object[2], 20L);
      S.reach(1);
      S.waitFor(2);
      ReleasedBeforeWriterCommitted = Released.load();
      akeso_domain_end();
    }
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "freer") == 0) {
      __akeso_release(Object, reinterpret_cast<void *>(countingFree));
      akeso_domain_end();
    }
    S.reach(2);
  });
  TA.join();
  TB.join();
  EXPECT_EQ(ReleasedBeforeWriterCommitted, 0);
  EXPECT_EQ(Released.load(), 1);
}

// A thread whose domain another thread rolled back runs on until its next
// runtime call and may still hold pointers into what the rolled-back writer
// allocated: that memory is released only once the thread got there.
TEST(Dependence, AllocationsOfARolledBackWriterOutliveItsDependentsStaleCode) {
  static long *Shared;
  Shared = nullptr;
  static long X;
  Released = 0;
  Steps S;
  int A = 0, B = 0, ReleasedWhileStale = -1;
  std::thread TA([&] {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "allocator") == 0) {
      long *P = static_cast<long *>(malloc(4 * sizeof(long)));
      __akeso_allocated(P, reinterpret_cast<void *>(countingFree));
      store(&P[0], 42L);
      store(&Shared, P);
      S.reach(1);
      S.waitFor(2);
      akeso_fault("allocator failed");
    }
    A = -1;
  });
  std::thread TB([&] {
    S.waitFor(1);
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "user") == 0) {
      long *P = load(&Shared);
      S.reach(2);
      S.waitFor(3); // no runtime call: the rollback is still pending here
      ReleasedWhileStale = Released.load();
      // Still allocated: the rollback restored its words, nobody reused it.
      volatile long Stale = P[0];
      (void)Stale;
      load(&X); // a safe point: the rollback happens now
      B = 1;
    } else {
      B = -1;
    }
  });
  TA.join();
  S.reach(3);
  TB.join();
  EXPECT_EQ(A, -1);
  EXPECT_EQ(ReleasedWhileStale, 0);
  EXPECT_EQ(B, -1);
  EXPECT_EQ(Released.load(), 1);
  EXPECT_EQ(Shared, nullptr);
}
