/* A stand-in for a program built with akeso and fault injection (so that
 * these tests do not depend on the runtime's injection): it reads
 * AKESO_OPTIONS as the runtime does (inject, inject_seed, inject_period,
 * inject_kind), schedules faults the way the runtime does (one every
 * period + rand(0..period) simulated blocks), and prints the runtime's
 * reports itself.  What happens at a fault is chosen by argv[1]:
 *
 *   recover    each fault is rolled back; prints "result 42", exits 0
 *   masked     faults are injected but nothing reports them; "result 42"
 *   wrong      each fault is rolled back, but prints "result 41"
 *   crash      the first fault is outside any domain: fatal report, abort()
 *   segv       the first fault kills the program with SIGSEGV
 *   exit       the first fault makes the program exit with status 3
 *   hang       the first fault makes it (and a child it forks) sleep forever
 *   collateral rollbacks with dependent domains, amid unrelated output
 *   threads    two threads' injections, rolled back in the other order
 *   mixed      one of recover, masked, crash, segv, wrong, or no fault at
 *              all, chosen by the seed (seed % 6)
 *   server     waits for a file "request" in its directory, answers in
 *              "reply", and runs until it is terminated
 *   env        prints its environment and directory, no faults
 *
 * argv[2], if given, is the length of the run in blocks (default 1000000).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int inject;
static unsigned long long seed = 1, period = 300000, rng;
static char kind[32] = "detected";

static void read_options(void) {
  const char *o = getenv("AKESO_OPTIONS");
  if (!o)
    return;
  char buf[1024];
  snprintf(buf, sizeof(buf), "%s", o);
  for (char *item = strtok(buf, ":"); item; item = strtok(NULL, ":")) {
    char *eq = strchr(item, '=');
    if (!eq)
      continue;
    *eq = 0;
    const char *v = eq + 1;
    if (!strcmp(item, "inject"))
      inject = atoi(v);
    else if (!strcmp(item, "inject_seed"))
      seed = strtoull(v, NULL, 10);
    else if (!strcmp(item, "inject_period"))
      period = strtoull(v, NULL, 10);
    else if (!strcmp(item, "inject_kind"))
      snprintf(kind, sizeof(kind), "%s", v);
  }
}

static unsigned long long next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* Blocks from the start of the run to each fault, until the run ends. */
static unsigned long long position;
static int next_fault(unsigned long long blocks) {
  if (!inject || !period)
    return 0;
  position += period + next_random() % (period + 1);
  return position <= blocks;
}

static void report_inject(int n, const char *fn, int block, int line,
                          unsigned thread) {
  fprintf(stderr,
          "akeso: inject #%d: %s fault at %s block %d (target.c:%d) after "
          "%llu blocks (seed %llu, thread %u)%s\n",
          n, kind, fn, block, line, position, seed, thread,
          strcmp(kind, "corrupt") ? ""
                                  : ": flipped bit 3 of the word at 0x1000");
}

static void report_rollback(const char *domain, int n, int dependents,
                            unsigned thread) {
  fprintf(stderr,
          "akeso: fault in domain '%s' (target.c:20): injected fault at "
          "target.c:30 in %s; rolled back (%d words restored, 1 undo actions "
          "run%s) on thread %u\n",
          domain, domain, 10 + n,
          dependents ? ", with 2 dependent domains" : "", thread);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "recover";
  unsigned long long blocks = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
  read_options();
  rng = seed * 0x9e3779b97f4a7c15ull + 1;

  if (!strcmp(mode, "mixed")) {
    static const char *const modes[] = {"recover", "masked", "crash",
                                        "segv",    "wrong",  "nofault"};
    mode = modes[seed % 6];
    if (!strcmp(mode, "nofault"))
      blocks = 0;
  }

  if (!strcmp(mode, "env")) {
    char cwd[4096];
    printf("FOO=%s\n", getenv("FOO") ? getenv("FOO") : "(unset)");
    printf("AKESO_OPTIONS=%s\n", getenv("AKESO_OPTIONS"));
    printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
    printf("stdin=%s\n", isatty(0) ? "tty" : "not a tty");
    fprintf(stderr, "to stderr\n");
    return 0;
  }

  if (!strcmp(mode, "server")) {
    int n = 0;
    while (1) {
      if (access("request", F_OK) == 0 && access("reply", F_OK) != 0) {
        if (next_fault(blocks)) {
          report_inject(++n, "handle", 2, 31, 0);
          report_rollback("handle", n, 0, 0);
        }
        FILE *f = fopen("reply.tmp", "w");
        fputs("ok\n", f);
        fclose(f);
        rename("reply.tmp", "reply");
      }
      usleep(10000);
    }
  }

  int n = 0;
  while (next_fault(blocks)) {
    ++n;
    if (!strcmp(mode, "threads")) {
      report_inject(n, "worker", 4, 40, 1);
      ++n;
      report_inject(n, "worker", 5, 41, 2);
      report_rollback("worker", n, 0, 2); /* the second thread's first */
      report_rollback("worker", n - 1, 0, 1);
      break;
    }
    report_inject(n, "work", 3 + n, 30 + n, 0);
    if (!strcmp(mode, "recover") || !strcmp(mode, "wrong")) {
      report_rollback("work", n, 0, 0);
    } else if (!strcmp(mode, "collateral")) {
      fprintf(stderr, "unrelated output without a newline... ");
      report_rollback("work", n, 1, 0);
      fprintf(stderr, "akeso: domain 'other' (target.c:50) rolled back: it "
                      "depended on 'work', which faulted: injected fault (0 "
                      "undo actions run) on thread 1\n");
      fprintf(stderr, "akeso: completed domain 'third' rolled back: it "
                      "depended on 'work', which faulted: injected fault "
                      "(its caller already saw it succeed)\n");
      fprintf(stderr, "akeso: stats: domains begun 3, committed 0, merged "
                      "into parent 0, rolled back 3\n");
    } else if (!strcmp(mode, "crash")) {
      fflush(stdout);
      fprintf(stderr, "akeso: fault outside any recoverable domain: injected "
                      "fault at target.c:30 in work; aborting\n");
      abort();
    } else if (!strcmp(mode, "segv")) {
      raise(SIGSEGV);
    } else if (!strcmp(mode, "exit")) {
      exit(3);
    } else if (!strcmp(mode, "hang")) {
      if (fork() == 0)
        while (1)
          pause();
      while (1)
        pause();
    }
    /* masked: nothing reports the fault */
  }
  printf("result %d\n", !strcmp(mode, "wrong") ? 41 : 42);
  return 0;
}
