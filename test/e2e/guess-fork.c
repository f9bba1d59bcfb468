// The fork backend (a process per extension, docs/backtracking.md):
// sibling isolation of a global, a heap object, a local and an escaped
// local; allocation in an extension; DFS, BFS and A* order with output in
// exploration order; first-solution stop (the rest of the program runs in
// the stopping process, whose exit status the original process exits
// with); selection by the strategy's backend bits and by AKESO_OPTIONS
// (the bits win).  `forked=1` tells the extension ran in another process.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: %t iso fork 2>&1 | FileCheck %s --check-prefixes=ISO,FORKED
// RUN: env AKESO_OPTIONS=guess_backend=fork %t iso option 2>&1 | FileCheck %s --check-prefixes=ISO,FORKED
// RUN: env AKESO_OPTIONS=guess_backend=fork %t iso undo 2>&1 | FileCheck %s --check-prefixes=ISO,INPLACE
// RUN: env AKESO_OPTIONS=guess_backend=undo %t iso option 2>&1 | FileCheck %s --check-prefixes=ISO,INPLACE
// RUN: %t iso option 2>&1 | FileCheck %s --check-prefixes=ISO,INPLACE
// RUN: %t order fork dfs 2>&1 | FileCheck %s --check-prefix=DFS
// RUN: %t order fork bfs 2>&1 | FileCheck %s --check-prefix=BFS
// RUN: %t order fork astar 2>&1 | FileCheck %s --check-prefix=ASTAR
// The undo backend gives the same orders.
// RUN: %t order undo dfs 2>&1 | FileCheck %s --check-prefix=DFS
// RUN: %t order undo bfs 2>&1 | FileCheck %s --check-prefix=BFS
// RUN: %t order undo astar 2>&1 | FileCheck %s --check-prefix=ASTAR
// RUN: %t status stop fork dfs 2>&1 | FileCheck %s --check-prefix=STOP
// RUN: %t status stop fork bfs 2>&1 | FileCheck %s --check-prefix=STOP
// A crash in an extension ends the exploration: every process dies of it.
// RUN: %t status crash fork dfs 2>&1 | FileCheck %s --check-prefix=CRASH
// Misuse inside a forked extension aborts the original process too.
// RUN: %not --crash %t zero fork dfs 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: %not --crash %t nested fork bfs 2>&1 | FileCheck %s --check-prefix=NESTED
//
// The same program without the akeso pass (plain clang, the runtime linked
// by hand): the fork backend needs no instrumentation.
// RUN: %clang -O2 -I%akeso-include %s -c -o %t.plain.o
// RUN: %clang %t.plain.o %akeso-rt -o %t.plain
// RUN: %t.plain iso fork 2>&1 | FileCheck %s --check-prefixes=ISO,FORKED
// RUN: %t.plain order fork bfs 2>&1 | FileCheck %s --check-prefix=BFS
// RUN: %t.plain status stop fork dfs 2>&1 | FileCheck %s --check-prefix=STOP
#include <akeso/guess.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

long global = 100;
long *heap;
long *escaped_ptr;
int root_pid;

__attribute__((noinline)) void touch(long *p, long v) { *p = v; }

static int backend_bits(const char *b) {
  if (!strcmp(b, "fork"))
    return AKESO_BACKEND_FORK;
  if (!strcmp(b, "undo"))
    return AKESO_BACKEND_UNDO;
  return 0; // AKESO_OPTIONS decides
}

static int strategy(const char *s) {
  if (!strcmp(s, "bfs"))
    return AKESO_BFS;
  if (!strcmp(s, "astar"))
    return AKESO_ASTAR;
  return AKESO_DFS;
}

static void iso(int backend) {
  heap = malloc(sizeof *heap);
  *heap = 200;
  long local = 300;
  long escaped = 400;
  escaped_ptr = &escaped;
  printf("start\n");
  if (akeso_guess_strategy(AKESO_DFS | backend)) {
    global = 1;
    *heap = 2;
    local = 3;
    touch(escaped_ptr, 4);
    int g = akeso_guess(3);
    printf("ext %d: global=%ld heap=%ld local=%ld escaped=%ld forked=%d\n", g,
           global, *heap, local, escaped, getpid() != root_pid);
    long *p = malloc(1000);
    touch(p, g);
    global = 10 + g;
    *heap = 20 + g;
    local = 30 + g;
    touch(escaped_ptr, 40 + g);
    akeso_guess_fail();
  }
  printf("after: global=%ld heap=%ld local=%ld escaped=%ld active=%d\n",
         global, *heap, local, escaped, akeso_guess_active());
}

// Two levels of two extensions; A* distances: first level {5, 1}, second
// {6, 7} under a=0 and {8, 2} under a=1.
static void order(int s) {
  if (akeso_guess_strategy(s)) {
    long d1[2] = {5, 1};
    int a = akeso_guess_dist(2, d1);
    printf("a%d\n", a);
    long d2[2] = {a ? 8 : 6, a ? 2 : 7};
    int b = akeso_guess_dist(2, d2);
    printf("ab%d%d\n", a, b);
    akeso_guess_fail();
  }
  printf("done\n");
}

static void bye(void) { printf("atexit in the stopping process\n"); }

static int stop(int s) {
  atexit(bye);
  if (akeso_guess_strategy(s)) {
    int g = akeso_guess(3);
    printf("ext %d\n", g);
    if (g != 1)
      akeso_guess_fail();
    akeso_guess_stop();
    printf("stopped at %d: active=%d forked=%d\n", g, akeso_guess_active(),
           getpid() != root_pid);
    global = 77;
  }
  printf("after: global=%ld\n", global);
  return 3;
}

static void crash(int s) {
  if (akeso_guess_strategy(s)) {
    int g = akeso_guess(3);
    printf("ext %d\n", g);
    if (g == 1) {
      fflush(stdout); // a killed process flushes nothing itself
      raise(SIGKILL);
    }
    akeso_guess_fail();
  }
  printf("done\n");
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOFBF, 1 << 16); // output is flushed by the runtime
  root_pid = getpid();
  const char *what = argc > 1 ? argv[1] : "";
  if (!strcmp(what, "status")) {
    // Runs the rest of the command line as a child and prints its status.
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      execv(argv[0], argv + 1);
      _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
      printf("signal=%d\n", WTERMSIG(status));
    else
      printf("status=%d\n", WEXITSTATUS(status));
    return 0;
  }
  int backend = backend_bits(argc > 2 ? argv[2] : "");
  int s = strategy(argc > 3 ? argv[3] : "dfs") | backend;
  if (!strcmp(what, "iso"))
    iso(backend);
  if (!strcmp(what, "order"))
    order(s);
  if (!strcmp(what, "stop"))
    return stop(s);
  if (!strcmp(what, "crash"))
    crash(s);
  if (!strcmp(what, "zero") && akeso_guess_strategy(s)) {
    akeso_guess(2);
    printf("%d\n", akeso_guess(0));
  }
  if (!strcmp(what, "nested") && akeso_guess_strategy(s)) {
    akeso_guess(2);
    if (akeso_guess_strategy(s))
      akeso_guess_fail();
  }
  return 0;
}
// ISO:      start
// FORKED:   ext 0: global=1 heap=2 local=3 escaped=4 forked=1
// FORKED:   ext 1: global=1 heap=2 local=3 escaped=4 forked=1
// FORKED:   ext 2: global=1 heap=2 local=3 escaped=4 forked=1
// INPLACE:  ext 0: global=1 heap=2 local=3 escaped=4 forked=0
// INPLACE:  ext 1: global=1 heap=2 local=3 escaped=4 forked=0
// INPLACE:  ext 2: global=1 heap=2 local=3 escaped=4 forked=0
// ISO-NEXT: after: global=100 heap=200 local=300 escaped=400 active=0
// DFS:      a0
// DFS-NEXT: ab00
// DFS-NEXT: ab01
// DFS-NEXT: a1
// DFS-NEXT: ab10
// DFS-NEXT: ab11
// DFS-NEXT: done
// BFS:      a0
// BFS-NEXT: a1
// BFS-NEXT: ab00
// BFS-NEXT: ab01
// BFS-NEXT: ab10
// BFS-NEXT: ab11
// BFS-NEXT: done
// ASTAR:      a1
// ASTAR-NEXT: ab11
// ASTAR-NEXT: a0
// ASTAR-NEXT: ab00
// ASTAR-NEXT: ab01
// ASTAR-NEXT: ab10
// ASTAR-NEXT: done
// STOP:      ext 0
// STOP-NEXT: ext 1
// STOP-NEXT: stopped at 1: active=0 forked=1
// STOP-NEXT: after: global=77
// STOP-NEXT: atexit in the stopping process
// STOP-NEXT: status=3
// CRASH:      ext 0
// CRASH-NEXT: ext 1
// CRASH-NEXT: signal=9
// CRASH-NOT: ext 2
// CRASH-NOT: done
// ZERO: akeso: akeso_guess(0) at {{.*}}guess-fork.c:{{[0-9]+}}: the number of extensions must be positive
// NESTED: akeso: akeso_guess_strategy: an exploration is already running on this thread; nested explorations are not supported
