/*===- rollbench.c - what a rollback costs -----------------------*- C -*-===*
 *
 * Build with akeso-cc (it uses the C API of akeso/akeso.h) and link with
 * benchsync.c compiled by plain clang:
 *
 *   clang-19 -O2 -c bench/benchsync.c -o benchsync.o
 *   build/bin/akeso-cc -O2 bench/rollbench.c benchsync.o -o rollbench -lpthread
 *   AKESO_OPTIONS=verbosity=0 ./rollbench [options]
 *
 * The faulting domain runs on the main thread.  For each N of --writes it
 * begins a basic domain, writes N distinct 8-byte words (each one a
 * first write, so N undo records; --stride words apart), and then either
 * faults (akeso_fault) or ends the domain.  Reported, over --reps
 * repetitions after --warmup unrecorded ones:
 *
 *   rollback  from just before akeso_fault() until the domain's landing
 *             pad has returned -1 to its caller: stop the world, restore the
 *             N words, run undo actions, longjmp;
 *   commit    the same domain ending normally instead (akeso_domain_end()
 *             until the return), interleaved with the rollbacks; measured
 *             only without dependents;
 *   write     the N first writes themselves (log records, version records).
 *
 * With --dependents K, K more threads each run a basic domain that reads
 * one of the words the faulting domain wrote while that domain is still
 * speculative, which makes it depend on the faulting domain, and then
 * writes --dep-writes words of its own.  The read is an ordinary
 * instrumented load: its inline fast path sees a word last written by
 * another live domain and calls __akeso_read_8, which forms the edge.
 * --explicit-read also calls __akeso_read_8 (the ABI hook, akeso/abi.h)
 * by hand before the load, for compilers that emit no read hooks.
 * When the main thread faults, every dependent must be rolled back too:
 *
 *   --mode active     the dependents are still inside their domains,
 *                     asleep in futex(2), as a request blocked in a system
 *                     call would be.  The faulting thread restores their
 *                     words and signals them; each wakes, reaches a safe
 *                     point (a runtime call) and lands at its own landing
 *                     pad.  "landed" is the time from the fault until the
 *                     last dependent's landing pad ran.
 *   --mode completed  the dependents' domains have ended and wait to commit
 *                     (they depend on a speculative domain); the faulting
 *                     thread undoes them itself.
 *
 * The benchmark checks, outside the timed part, that every word written by
 * a rolled-back domain holds its old value again and that every dependent
 * was rolled back; it exits with status 1 otherwise.
 *
 * --idle I adds I threads that registered with the runtime (one empty
 * domain) and then sleep: a rollback still has to stop them, so they show
 * what stopping the world costs.
 *
 * Output: one line per N, "rollbench key=value ...", times in microseconds.
 *
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L

#include "benchsync.h"

#include <akeso/abi.h>
#include <akeso/akeso.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_WRITES_LIST = 16,
  MAX_DEPENDENTS = 8,
  MAX_IDLE = 8,
  MAX_DEP_WRITES = 64,
  /* benchsync flags */
  F_WRITTEN = 0, /* iteration whose words the faulting domain has written */
  F_READ = 1,    /* dependents done reading (cumulative) */
  F_FAULTED = 2, /* iteration whose faulting domain has landed */
  F_LANDED = 3,  /* dependents landed (cumulative) */
  F_STOP = 4,    /* 1: threads exit */
  F_READY = 5,   /* threads registered with the runtime */
  /* benchsync stamps */
  S_BEGUN = 0,
  S_WRITTEN = 1,
  S_FAULT = 2,
  S_LANDED = 8 /* + dependent index */
};

static unsigned stride = 1, dependents = 0, idle_threads = 0;
static unsigned dep_writes = 8;
static int active_mode = 1, explicit_read = 0;
static uint64_t *words;     /* the faulting domain's words */
static unsigned cur_writes; /* N of the current series */

struct dependent_area {
  _Alignas(64) uint64_t words[MAX_DEP_WRITES];
};
static struct dependent_area mine[MAX_DEPENDENTS];

/*===------------------------------------------------------------------===*
 * The faulting domain (main thread)
 *===------------------------------------------------------------------===*/

static __attribute__((noinline)) void write_words(unsigned n, uint64_t v) {
  uint64_t *w = words;
  const size_t s = stride;
  /* One 8-byte store per word, as N separate first writes. */
#pragma clang loop vectorize(disable) interleave(disable)
  for (unsigned i = 0; i < n; i++)
    w[i * s] = v + i;
}

/* Returns -1 at the landing pad, 0 if it ended normally. */
static __attribute__((noinline)) int
faulting_domain(unsigned n, uint64_t iter, int fault, uint64_t base) {
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "rollbench.faulter") != 0)
    return -1;
  bench_stamp(S_BEGUN);
  write_words(n, base);
  bench_stamp(S_WRITTEN);
  if (fault && dependents) {
    bench_set(F_WRITTEN, iter);
    bench_wait_ge(F_READ, (uint64_t)dependents * iter);
  }
  bench_stamp(S_FAULT);
  if (fault)
    akeso_fault("rollbench: injected fault");
  akeso_domain_end();
  return 0;
}

/*===------------------------------------------------------------------===*
 * Dependent and idle threads
 *===------------------------------------------------------------------===*/

static void safe_point(void) {
  /* Any runtime entry point is a safe point: a rollback another thread
   * left pending for this one happens there. */
  static uint64_t scratch;
  __akeso_read_8(&scratch);
}

/* Returns -1 at the landing pad (rolled back while active), 0 otherwise. */
static __attribute__((noinline)) int dependent_domain(unsigned k,
                                                      uint64_t iter) {
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "rollbench.dependent") != 0)
    return -1;
  uint64_t *src = &words[(size_t)(k % cur_writes) * stride];
  if (explicit_read)
    __akeso_read_8(src);
  uint64_t v = *(volatile uint64_t *)src;
  uint64_t *own = mine[k].words;
  for (unsigned j = 0; j < dep_writes; j++)
    own[j] = v + j + 1;
  if (!active_mode) {
    akeso_domain_end(); /* completed; waits for the faulting domain */
    bench_add(F_READ, 1);
    return 0;
  }
  bench_add(F_READ, 1);
  /* Sleeps until the rollback's kick (a signal that interrupts the sleep)
   * or the faulting thread's landing wakes it. */
  while (!bench_wait_ge_for(F_FAULTED, iter, 0))
    safe_point();
  safe_point(); /* the faulting thread's rollback is pending: lands here */
  akeso_domain_end();
  return 0;
}

static int dependent_failed;

static void *dependent_main(void *arg) {
  unsigned k = (unsigned)(uintptr_t)arg;
  (void)AKESO_DOMAIN_BEGIN(AKESO_BASIC, "rollbench.register");
  akeso_domain_end();
  bench_add(F_READY, 1);
  for (uint64_t iter = 1;; iter++) {
    while (bench_get(F_WRITTEN) < iter && !bench_get(F_STOP))
      bench_wait_ge_for(F_WRITTEN, iter, 100000000);
    if (bench_get(F_STOP))
      break;
    int rc = dependent_domain(k, iter);
    if (active_mode) {
      bench_stamp(S_LANDED + k);
      if (rc != -1)
        dependent_failed = 1; /* was not rolled back */
      bench_add(F_LANDED, 1);
    }
  }
  return NULL;
}

static void *idle_main(void *arg) {
  (void)arg;
  (void)AKESO_DOMAIN_BEGIN(AKESO_BASIC, "rollbench.register");
  akeso_domain_end();
  bench_add(F_READY, 1);
  bench_wait_ge(F_STOP, 1);
  return NULL;
}

/*===------------------------------------------------------------------===*
 * Driver
 *===------------------------------------------------------------------===*/

/* What the committed domain of repetition r leaves in the words. */
static uint64_t committed_base(unsigned r) { return (uint64_t)r << 20 | 1; }

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Quantile q of a sorted array, in microseconds. */
static double q_us(const uint64_t *v, size_t n, double q) {
  if (n == 0)
    return 0;
  size_t i = (size_t)(q * (double)(n - 1) + 0.5);
  return (double)v[i] / 1000.0;
}

static double median_us(uint64_t *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_u64);
  if (n == 0)
    return 0;
  if (n % 2)
    return (double)v[n / 2] / 1000.0;
  return (double)(v[n / 2 - 1] + v[n / 2]) / 2000.0;
}

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--writes N,N,...] [--reps R] [--warmup W] [--stride S]\n"
          "       [--dependents K] [--mode active|completed] [--dep-writes M]\n"
          "       [--idle I] [--explicit-read]\n"
          "  --writes     words the faulting domain writes (default "
          "1,10,100,1000,10000)\n"
          "  --reps       recorded repetitions per N (default: 2000 up to "
          "N=100,\n"
          "               1000 up to N=1000, 300 above)\n"
          "  --warmup     unrecorded repetitions first (default 20)\n"
          "  --stride     words between written words (default 1)\n"
          "  --dependents threads whose domains depend on the faulting one "
          "(max %d)\n"
          "  --mode       where the dependents are at the fault (default "
          "active)\n"
          "  --dep-writes words each dependent writes (default 8, max %d)\n"
          "  --idle       threads that only exist (max %d)\n"
          "  --explicit-read  call __akeso_read_8 before the dependents' "
          "load\n",
          argv0, MAX_DEPENDENTS, MAX_DEP_WRITES, MAX_IDLE);
  exit(2);
}

static unsigned parse_uint(const char *s, const char *argv0) {
  char *end;
  if (!s || !*s || *s == '-')
    usage(argv0);
  unsigned long v = strtoul(s, &end, 10);
  if (*end || v > 100000000ul)
    usage(argv0);
  return (unsigned)v;
}

int main(int argc, char **argv) {
  unsigned writes[MAX_WRITES_LIST] = {1, 10, 100, 1000, 10000};
  unsigned nwrites = 5, reps_opt = 0, warmup = 20;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--explicit-read")) {
      explicit_read = 1;
      continue;
    }
    if (!v)
      usage(argv[0]);
    i++;
    if (!strcmp(a, "--writes")) {
      nwrites = 0;
      char buf[256];
      snprintf(buf, sizeof buf, "%s", v);
      for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (nwrites == MAX_WRITES_LIST)
          usage(argv[0]);
        writes[nwrites] = parse_uint(tok, argv[0]);
        if (writes[nwrites] == 0)
          usage(argv[0]);
        nwrites++;
      }
      if (nwrites == 0)
        usage(argv[0]);
    } else if (!strcmp(a, "--reps")) {
      reps_opt = parse_uint(v, argv[0]);
    } else if (!strcmp(a, "--warmup")) {
      warmup = parse_uint(v, argv[0]);
    } else if (!strcmp(a, "--stride")) {
      stride = parse_uint(v, argv[0]);
    } else if (!strcmp(a, "--dependents")) {
      dependents = parse_uint(v, argv[0]);
    } else if (!strcmp(a, "--dep-writes")) {
      dep_writes = parse_uint(v, argv[0]);
    } else if (!strcmp(a, "--idle")) {
      idle_threads = parse_uint(v, argv[0]);
    } else if (!strcmp(a, "--mode")) {
      if (!strcmp(v, "active"))
        active_mode = 1;
      else if (!strcmp(v, "completed"))
        active_mode = 0;
      else
        usage(argv[0]);
    } else {
      usage(argv[0]);
    }
  }
  if (stride < 1 || dependents > MAX_DEPENDENTS || idle_threads > MAX_IDLE ||
      dep_writes < 1 || dep_writes > MAX_DEP_WRITES)
    usage(argv[0]);

  unsigned max_n = 0;
  for (unsigned i = 0; i < nwrites; i++)
    if (writes[i] > max_n)
      max_n = writes[i];
  words = aligned_alloc(4096, ((size_t)max_n * stride * 8 + 4095) & ~(size_t)4095);
  if (!words) {
    fprintf(stderr, "rollbench: out of memory\n");
    return 1;
  }
  memset(words, 0, (size_t)max_n * stride * 8);
  cur_writes = writes[0];

  pthread_t threads[MAX_DEPENDENTS + MAX_IDLE];
  unsigned nthreads = 0;
  for (unsigned k = 0; k < dependents; k++)
    if (pthread_create(&threads[nthreads++], NULL, dependent_main,
                       (void *)(uintptr_t)k) != 0) {
      fprintf(stderr, "rollbench: cannot create a thread\n");
      return 1;
    }
  for (unsigned k = 0; k < idle_threads; k++)
    if (pthread_create(&threads[nthreads++], NULL, idle_main, NULL) != 0) {
      fprintf(stderr, "rollbench: cannot create a thread\n");
      return 1;
    }
  bench_wait_ge(F_READY, nthreads);

  int failed = 0;
  uint64_t iter = 0; /* faulting iterations so far (dependents count them) */
  for (unsigned w = 0; w < nwrites; w++) {
    const unsigned n = writes[w];
    cur_writes = n;
    const unsigned reps =
        reps_opt ? reps_opt : n <= 100 ? 2000 : n <= 1000 ? 1000 : 300;
    uint64_t *rollback = calloc(reps, sizeof *rollback);
    uint64_t *commit = calloc(reps, sizeof *commit);
    uint64_t *write = calloc(reps, sizeof *write);
    uint64_t *landed = calloc(reps, sizeof *landed);
    if (!rollback || !commit || !write || !landed) {
      fprintf(stderr, "rollbench: out of memory\n");
      return 1;
    }
    unsigned bad_words = 0, bad_deps = 0;
    for (unsigned r = 0; r < warmup + reps; r++) {
      const int record = r >= warmup;
      const unsigned slot = r - warmup;
      /* The committed contents the rollback has to bring back. */
      if (!dependents) {
        int rc = faulting_domain(n, iter, 0, committed_base(r));
        uint64_t end = bench_now_ns();
        if (rc != 0)
          failed = 1;
        if (record)
          commit[slot] = end - bench_stamp_get(S_FAULT);
      }
      const uint64_t before = words[(size_t)(n - 1) * stride];
      ++iter;
      int rc = faulting_domain(n, iter, 1, iter << 32);
      uint64_t end = bench_now_ns();
      if (rc != -1) {
        fprintf(stderr, "rollbench: the faulting domain did not land\n");
        return 1;
      }
      if (record) {
        rollback[slot] = end - bench_stamp_get(S_FAULT);
        write[slot] = bench_stamp_get(S_WRITTEN) - bench_stamp_get(S_BEGUN);
      }
      bench_set(F_FAULTED, iter);
      if (dependents && active_mode) {
        bench_wait_ge(F_LANDED, (uint64_t)dependents * iter);
        uint64_t last = 0;
        for (unsigned k = 0; k < dependents; k++)
          if (bench_stamp_get(S_LANDED + k) > last)
            last = bench_stamp_get(S_LANDED + k);
        if (record)
          landed[slot] = last - bench_stamp_get(S_FAULT);
      }
      /* Checks, untimed. */
      if (words[(size_t)(n - 1) * stride] != before)
        bad_words++;
      for (unsigned i = 0; i < n; i++)
        if (words[(size_t)i * stride] !=
            (dependents ? 0 : committed_base(r) + i))
          bad_words++;
      for (unsigned k = 0; k < dependents; k++)
        for (unsigned j = 0; j < dep_writes; j++)
          if (mine[k].words[j] != 0)
            bad_deps++;
    }
    if (dependent_failed)
      bad_deps++;
    double rb = median_us(rollback, reps);
    printf("rollbench writes=%u stride=%u dependents=%u mode=%s idle=%u "
           "dep_writes=%u reps=%u rollback_us=%.3f rollback_min_us=%.3f "
           "rollback_p10_us=%.3f rollback_p90_us=%.3f rollback_ns_per_word=%.1f",
           n, stride, dependents, active_mode ? "active" : "completed",
           idle_threads, dep_writes, reps, rb, q_us(rollback, reps, 0),
           q_us(rollback, reps, 0.1), q_us(rollback, reps, 0.9),
           rb * 1000.0 / n);
    if (!dependents)
      printf(" commit_us=%.3f", median_us(commit, reps));
    printf(" write_us=%.3f", median_us(write, reps));
    if (dependents && active_mode) {
      double l = median_us(landed, reps);
      printf(" landed_us=%.3f landed_p90_us=%.3f", l, q_us(landed, reps, 0.9));
    }
    printf(" bad_words=%u bad_dependents=%u\n", bad_words, bad_deps);
    fflush(stdout);
    if (bad_words || bad_deps)
      failed = 1;
    free(rollback);
    free(commit);
    free(write);
    free(landed);
  }

  bench_set(F_STOP, 1);
  for (unsigned t = 0; t < nthreads; t++)
    pthread_join(threads[t], NULL);
  if (failed)
    fprintf(stderr, "rollbench: a rolled-back domain left writes behind, a "
                    "dependent was not rolled back, or a domain failed\n");
  return failed;
}
