// BFS and A* switch between partial candidates by their deltas, not by
// replaying paths from the root:
//  - "nondet": every extension step reads the next byte of a pipe (kernel
//    state, never undone) and calls rand() (libc's state, not
//    instrumented), and the number of extensions of its guess point
//    depends on them.  Each step must read a new byte (a replay of the
//    path would read more bytes, and see other guess points), and a step
//    sees the values its ancestors read, kept by their candidates.
//  - "isolation": candidates in different subtrees write the same global,
//    heap word, non-escaping local and escaped local; every step sees its
//    own path's values, whichever candidate ran before it (BFS: level by
//    level; A*: one subtree after the other).
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: %t nondet bfs 2>&1 | FileCheck %s --check-prefix=NONDET
// RUN: %t nondet astar 2>&1 | FileCheck %s --check-prefix=NONDET
// RUN: %t isolation bfs 2>&1 | FileCheck %s --check-prefix=ISO-BFS
// RUN: %t isolation astar 2>&1 | FileCheck %s --check-prefix=ISO-ASTAR
// RUN: %akeso-cc -Wno-backend-plugin -O0 %s -o %t.O0
// RUN: %t.O0 nondet bfs 2>&1 | FileCheck %s --check-prefix=NONDET
// RUN: %t.O0 isolation bfs 2>&1 | FileCheck %s --check-prefix=ISO-BFS
#include <akeso/guess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { Depth = 3, MaxSteps = 64 };

int pipe_fd[2];
int expected_rand[MaxSteps];
// The path of the running step: the step numbers and rand() values its
// ancestors saw (instrumented globals: part of each partial candidate).
int path_step[Depth + 1], path_rand[Depth + 1];
int bad;

// The next byte of the pipe: the number of extension steps run so far.
static int next_step(void) {
  unsigned char B;
  if (read(pipe_fd[0], &B, 1) != 1) {
    printf("pipe empty\n");
    exit(1);
  }
  return B;
}

static void nondet(akeso_strategy s) {
  if (pipe(pipe_fd) != 0)
    return;
  unsigned char Bytes[MaxSteps];
  for (int i = 0; i < MaxSteps; ++i)
    Bytes[i] = (unsigned char)i;
  if (write(pipe_fd[1], Bytes, MaxSteps) != MaxSteps)
    return;
  srand(7);
  for (int i = 0; i < MaxSteps; ++i)
    expected_rand[i] = rand();
  srand(7);
  if (akeso_guess_strategy(s)) {
    for (int d = 0;; ++d) {
      int k = next_step(), r = rand();
      if (r != expected_rand[k])
        ++bad; // a replay would have drawn more numbers
      for (int a = 0; a < d; ++a)
        if (path_step[a] >= k || path_rand[a] != expected_rand[path_step[a]])
          ++bad;
      path_step[d] = k;
      path_rand[d] = r;
      if (d == Depth)
        break;
      // 1..3 extensions, depending on what this step read.
      int n = 1 + k % 3;
      printf("step %d depth %d: %d extensions\n", k, d, n);
      akeso_guess(n);
    }
    printf("leaf at step %d: path %d %d %d, bad=%d\n", path_step[Depth],
           path_step[0], path_step[1], path_step[2], bad);
    akeso_guess_fail();
  }
  // The pipe had exactly one byte read per step.
  int left = 0;
  close(pipe_fd[1]);
  unsigned char B;
  while (read(pipe_fd[0], &B, 1) == 1)
    ++left;
  printf("done: bad=%d, %d bytes left\n", bad, left);
}

long global = -1;
long *heap;

__attribute__((noinline)) void touch(long *p, long v) { *p = v; }

static void isolation(akeso_strategy s) {
  heap = malloc(sizeof *heap);
  *heap = -1;
  long local = -1, escaped = -1;
  long *escaped_ptr = &escaped;
  if (akeso_guess_strategy(s)) {
    // A* (ignored by BFS): a = 1 and its subtree first, then 2, then 0.
    static const long dist[3] = {2, 0, 1};
    long a = akeso_guess_dist(3, dist);
    global = 10 + a;
    *heap = 20 + a;
    local = 30 + a;
    touch(escaped_ptr, 40 + a);
    long b = akeso_guess(2);
    int ok = global == 10 + a && *heap == 20 + a && local == 30 + a &&
             escaped == 40 + a;
    printf("a=%ld b=%ld: %s\n", a, b, ok ? "ok" : "WRONG");
    global += 100 * (b + 1);
    *heap += 100 * (b + 1);
    local += 100 * (b + 1);
    touch(escaped_ptr, escaped + 100 * (b + 1));
    if (a == 1) {
      // A new heap object in a candidate that has descendants.
      heap = malloc(sizeof *heap);
      *heap = 20 + a + 100 * (b + 1);
    }
    long c = akeso_guess(2);
    ok = global == 10 + a + 100 * (b + 1) && *heap == 20 + a + 100 * (b + 1) &&
         local == 30 + a + 100 * (b + 1) && escaped == 40 + a + 100 * (b + 1);
    printf("a=%ld b=%ld c=%ld: %s\n", a, b, c, ok ? "ok" : "WRONG");
    global = *heap = local = escaped = 0;
    akeso_guess_fail();
  }
  printf("after: global=%ld heap=%ld local=%ld escaped=%ld\n", global, *heap,
         local, escaped);
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  akeso_strategy s = !strcmp(argv[2], "astar") ? AKESO_ASTAR : AKESO_BFS;
  if (!strcmp(argv[1], "nondet"))
    nondet(s);
  else
    isolation(s);
  return 0;
}
// The steps in breadth-first order (plain akeso_guess under A*: every
// distance 0, so the same order).  Steps are numbered by the pipe.
// NONDET:      step 0 depth 0: 1 extensions
// NONDET-NEXT: step 1 depth 1: 2 extensions
// NONDET-NEXT: step 2 depth 2: 3 extensions
// NONDET-NEXT: step 3 depth 2: 1 extensions
// NONDET-NEXT: leaf at step 4: path 0 1 2, bad=0
// NONDET-NEXT: leaf at step 5: path 0 1 2, bad=0
// NONDET-NEXT: leaf at step 6: path 0 1 2, bad=0
// NONDET-NEXT: leaf at step 7: path 0 1 3, bad=0
// NONDET-NEXT: done: bad=0, 56 bytes left
//
// ISO-BFS:      a=0 b=0: ok
// ISO-BFS-NEXT: a=0 b=1: ok
// ISO-BFS-NEXT: a=1 b=0: ok
// ISO-BFS-NEXT: a=1 b=1: ok
// ISO-BFS-NEXT: a=2 b=0: ok
// ISO-BFS-NEXT: a=2 b=1: ok
// ISO-BFS-NEXT: a=0 b=0 c=0: ok
// ISO-BFS-NEXT: a=0 b=0 c=1: ok
// ISO-BFS-NEXT: a=0 b=1 c=0: ok
// ISO-BFS-NEXT: a=0 b=1 c=1: ok
// ISO-BFS-NEXT: a=1 b=0 c=0: ok
// ISO-BFS-NEXT: a=1 b=0 c=1: ok
// ISO-BFS-NEXT: a=1 b=1 c=0: ok
// ISO-BFS-NEXT: a=1 b=1 c=1: ok
// ISO-BFS-NEXT: a=2 b=0 c=0: ok
// ISO-BFS-NEXT: a=2 b=0 c=1: ok
// ISO-BFS-NEXT: a=2 b=1 c=0: ok
// ISO-BFS-NEXT: a=2 b=1 c=1: ok
// ISO-BFS-NEXT: after: global=-1 heap=-1 local=-1 escaped=-1
// ISO-ASTAR:      a=1 b=0: ok
// ISO-ASTAR-NEXT: a=1 b=1: ok
// ISO-ASTAR-NEXT: a=1 b=0 c=0: ok
// ISO-ASTAR-NEXT: a=1 b=0 c=1: ok
// ISO-ASTAR-NEXT: a=1 b=1 c=0: ok
// ISO-ASTAR-NEXT: a=1 b=1 c=1: ok
// ISO-ASTAR-NEXT: a=2 b=0: ok
// ISO-ASTAR-NEXT: a=2 b=1: ok
// ISO-ASTAR-NEXT: a=2 b=0 c=0: ok
// ISO-ASTAR-NEXT: a=2 b=0 c=1: ok
// ISO-ASTAR-NEXT: a=2 b=1 c=0: ok
// ISO-ASTAR-NEXT: a=2 b=1 c=1: ok
// ISO-ASTAR-NEXT: a=0 b=0: ok
// ISO-ASTAR-NEXT: a=0 b=1: ok
// ISO-ASTAR-NEXT: a=0 b=0 c=0: ok
// ISO-ASTAR-NEXT: a=0 b=0 c=1: ok
// ISO-ASTAR-NEXT: a=0 b=1 c=0: ok
// ISO-ASTAR-NEXT: a=0 b=1 c=1: ok
// ISO-ASTAR-NEXT: after: global=-1 heap=-1 local=-1 escaped=-1
