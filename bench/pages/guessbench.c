/*===- guessbench.c - guess/fail round trips vs pages written ----*- C -*-===*
 *
 * One guess point with R extensions; each extension writes one byte in
 * each of K distinct pages of a global buffer and fails.  Reported: the
 * time per extension (restore + the K writes + the failure), for each K.
 * The same source is the benchmark of three backends:
 *
 *   pages  gcc -O2 -Iinclude bench/pages/guessbench.c build/lib/libakeso_rt.a
 *          AKESO_OPTIONS=guess_backend=pages:stats=1 ./guessbench
 *   undo   build/bin/akeso-cc -O2 bench/pages/guessbench.c
 *          AKESO_OPTIONS=verbosity=0 ./guessbench
 *   fork   ./guessbench --fork   (any build: one fork per extension, the
 *          child writes its K pages and exits, the parent waits; the naive
 *          design of the paper's section 3)
 *
 * Usage: guessbench [--fork] [--reps R] [K...]   (default K: 1 2 4 8 16 64 256)
 * Prints "K <k> <us per round trip>" lines (3 decimals: the undo
 * backend's round trip is tens of nanoseconds); with stats=1 the
 * page backend adds its take/restore split per exploration on stderr.
 *
 * guessbench --chain D K: memory against snapshots.  D nested guess
 * points, each followed by writes to K pages no other level writes; the
 * page backend's statistics (stats=1) give the peak number of
 * page copies held, which should be the base plus about D*K (pages
 * written), not D times the address space.
 *===----------------------------------------------------------------------===*/
#include <akeso/guess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXK 256
/* Not static: a static array that is only ever written lets clang delete
 * the writes (the undo build then measured an empty extension, ~40 ns at
 * every K); with external linkage another unit could read it. */
char buffer[MAXK * 4096] __attribute__((aligned(4096)));

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void touch(int k, int value) {
  for (int p = 0; p < k; p++)
    buffer[p * 4096 + (value & 63)] = (char)value;
}

static double run_guess(int k, int reps) {
  double t0 = now_us();
  if (akeso_guess_strategy(AKESO_DFS)) {
    int i = akeso_guess(reps);
    touch(k, i + 1);
    akeso_guess_fail();
  }
  return (now_us() - t0) / reps;
}

static double run_fork(int k, int reps) {
  double t0 = now_us();
  for (int i = 0; i < reps; i++) {
    pid_t p = fork();
    if (p == 0) {
      touch(k, i + 1);
      _exit(0);
    }
    waitpid(p, NULL, 0);
  }
  return (now_us() - t0) / reps;
}

static void run_chain(int depth, int k) {
  if (akeso_guess_strategy(AKESO_DFS)) {
    for (int d = 0; d < depth; d++) {
      if (akeso_guess(2) == 1)
        akeso_guess_fail();
      for (int p = 0; p < k; p++)
        buffer[((d * k + p) % MAXK) * 4096 + 1] = (char)d;
    }
    akeso_guess_fail();
  }
  printf("chain %d x %d pages: done\n", depth, k);
}

int main(int argc, char **argv) {
  int use_fork = 0, reps = 200, ks[32], nk = 0;
  if (argc == 4 && !strcmp(argv[1], "--chain")) {
    run_chain(atoi(argv[2]), atoi(argv[3]));
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fork"))
      use_fork = 1;
    else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (nk < 32 && atoi(argv[i]) > 0 && atoi(argv[i]) <= MAXK)
      ks[nk++] = atoi(argv[i]);
  }
  if (!nk) {
    int d[] = {1, 2, 4, 8, 16, 64, 256};
    for (nk = 0; nk < 7; nk++)
      ks[nk] = d[nk];
  }
  memset(buffer, 1, sizeof buffer); /* resident before any measurement */
  for (int j = 0; j < nk; j++) {
    double us = use_fork ? run_fork(ks[j], reps) : run_guess(ks[j], reps);
    printf("K %d %.3f\n", ks[j], us);
    fflush(stdout);
  }
  return 0;
}
