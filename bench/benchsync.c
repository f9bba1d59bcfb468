/*===- benchsync.c - clocks and thread hand-offs outside akeso's view -*- C -*-===*
 *
 * Linked into rollbench (bench/rollbench.c), and always compiled with plain
 * clang, never with akeso-cc.  What this file does to memory is therefore
 * neither logged nor rolled back, which is what a benchmark of rollbacks
 * needs:
 *
 *   - a time stamp taken inside a domain just before it faults survives the
 *     rollback (a store of it by instrumented code would be undone);
 *   - the flags threads use to hand work to each other inside domains do
 *     not form dependence edges and are not compensated on rollback (C11
 *     atomics in instrumented code would be, see abi.def), so the only
 *     dependences between the benchmark's domains are the ones it forms on
 *     purpose.
 *
 * Flags are 64-bit counters in their own cache lines.  A waiter spins
 * briefly and then sleeps in futex(2), so that threads waiting on a 2-core
 * machine leave the processor to the one being measured.
 *
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "benchsync.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct flag {
  _Alignas(64) _Atomic uint64_t value;
  /* futex(2) waits on 32 bits: the low half of a sequence number bumped on
   * every change, so that a waiter never misses a wake-up. */
  _Atomic uint32_t seq;
};

static struct flag flags[BENCH_FLAGS];
static _Alignas(64) uint64_t stamps[BENCH_STAMPS];

uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_stamp(unsigned slot) { stamps[slot] = bench_now_ns(); }
uint64_t bench_stamp_get(unsigned slot) { return stamps[slot]; }
void bench_stamp_clear(unsigned slot) { stamps[slot] = 0; }

static void wake(struct flag *f) {
  atomic_fetch_add_explicit(&f->seq, 1, memory_order_release);
  syscall(SYS_futex, &f->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void bench_set(unsigned flag, uint64_t v) {
  atomic_store_explicit(&flags[flag].value, v, memory_order_release);
  wake(&flags[flag]);
}

uint64_t bench_add(unsigned flag, uint64_t d) {
  uint64_t now =
      atomic_fetch_add_explicit(&flags[flag].value, d, memory_order_acq_rel) +
      d;
  wake(&flags[flag]);
  return now;
}

uint64_t bench_get(unsigned flag) {
  return atomic_load_explicit(&flags[flag].value, memory_order_acquire);
}

/* Waits until the flag is at least v, for at most timeout_ns (0: no
 * limit).  Returns 1 once it is, 0 on timeout or when a signal interrupts
 * the sleep (the caller then reaches a safe point of the runtime and calls
 * again). */
static int wait_ge(unsigned flag, uint64_t v, uint64_t timeout_ns) {
  struct flag *f = &flags[flag];
  for (int spin = 0; spin < 200; spin++) {
    if (atomic_load_explicit(&f->value, memory_order_acquire) >= v)
      return 1;
    __builtin_ia32_pause();
  }
  for (;;) {
    uint32_t seq = atomic_load_explicit(&f->seq, memory_order_acquire);
    if (atomic_load_explicit(&f->value, memory_order_acquire) >= v)
      return 1;
    struct timespec ts, *tp = NULL;
    if (timeout_ns) {
      ts.tv_sec = (time_t)(timeout_ns / 1000000000u);
      ts.tv_nsec = (long)(timeout_ns % 1000000000u);
      tp = &ts;
    }
    long rc = syscall(SYS_futex, &f->seq, FUTEX_WAIT_PRIVATE, seq, tp, NULL, 0);
    if (rc != 0 && (errno == ETIMEDOUT || errno == EINTR))
      return atomic_load_explicit(&f->value, memory_order_acquire) >= v;
  }
}

void bench_wait_ge(unsigned flag, uint64_t v) {
  while (!wait_ge(flag, v, 0))
    ;
}

int bench_wait_ge_for(unsigned flag, uint64_t v, uint64_t timeout_ns) {
  return wait_ge(flag, v, timeout_ns);
}
