// Sibling extensions of a guess point see the state of the guess point:
// writes an extension makes to a global, a heap object, a non-escaping
// stack local (restored from the stack copy), an escaped stack local (the
// undo log) and a local of a caller frame are invisible to its siblings and
// to the code after the exploration.  Allocations made in an extension are
// released when it is discarded, frees are cancelled.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// mallinfo2 counts chunks cached in tcache and fastbins as in use: turn the
// caches off so "in use" is exact.
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t 2>&1 | FileCheck %s
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t bfs 2>&1 | FileCheck %s --check-prefix=BFS
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t astar 2>&1 | FileCheck %s --check-prefix=BFS
// RUN: %akeso-cc -Wno-backend-plugin -O0 %s -o %t.O0
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t.O0 2>&1 | FileCheck %s
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t.O0 bfs 2>&1 | FileCheck %s --check-prefix=BFS
#include <akeso/guess.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long global = 100;
long *heap;
long *escaped_ptr;

__attribute__((noinline)) void touch(long *p, long v) { *p = v; }

__attribute__((noinline)) int deep(int depth, long *caller_local) {
  long mine = depth * 1000;
  if (depth > 0)
    return deep(depth - 1, caller_local);
  int g = akeso_guess(3);
  // Every sibling sees the values of the guess point.
  printf("ext %d: global=%ld heap=%ld caller_local=%ld mine=%ld\n", g, global,
         *heap, *caller_local, mine);
  global += 10 * (g + 1);
  *heap += 10 * (g + 1);
  *caller_local += 10 * (g + 1);
  mine += g;
  return g;
}

int main(int argc, char **argv) {
  akeso_strategy strategy = argc < 2                     ? AKESO_DFS
                            : !strcmp(argv[1], "astar") ? AKESO_ASTAR
                                                        : AKESO_BFS;
  heap = malloc(sizeof *heap);
  *heap = 200;
  long local = 300;        // kept in a register or a non-escaping slot
  long escaped = 400;      // escapes: written through a pointer
  escaped_ptr = &escaped;
  printf("start\n");
  struct mallinfo2 before = mallinfo2();
  if (akeso_guess_strategy(strategy)) {
    global = 1;
    *heap = 2;
    local = 3;
    touch(escaped_ptr, 4);
    long frame_local = 5;
    int g = akeso_guess(4);
    printf("top %d: global=%ld heap=%ld local=%ld escaped=%ld\n", g, global,
           *heap, local, escaped);
    // Allocations of an extension: released when it fails.
    for (int i = 0; i < 10; ++i) {
      long *p = malloc(1000);
      touch(p, i);
    }
    if (g == 3) {
      // A free inside an extension is cancelled when it fails.
      free(heap);
      heap = malloc(8);
      *heap = -1;
    }
    global = 10 + g;
    *heap = 20 + g;
    local = 30 + g;
    touch(escaped_ptr, 40 + g);
    frame_local += g;
    if (g == 1) {
      deep(3, &frame_local);
      printf("after deep: frame_local=%ld\n", frame_local);
    }
    akeso_guess_fail();
  }
  struct mallinfo2 after = mallinfo2();
  printf("after: global=%ld heap=%ld local=%ld escaped=%ld\n", global, *heap,
         local, escaped);
  printf("heap in use: %s\n",
         after.uordblks == before.uordblks ? "unchanged" : "LEAKED");
  free(heap);
  return 0;
}
// CHECK:      start
// CHECK-NEXT: top 0: global=1 heap=2 local=3 escaped=4
// CHECK-NEXT: top 1: global=1 heap=2 local=3 escaped=4
// CHECK-NEXT: ext 0: global=11 heap=21 caller_local=6 mine=0
// CHECK-NEXT: after deep: frame_local=16
// CHECK-NEXT: ext 1: global=11 heap=21 caller_local=6 mine=0
// CHECK-NEXT: after deep: frame_local=26
// CHECK-NEXT: ext 2: global=11 heap=21 caller_local=6 mine=0
// CHECK-NEXT: after deep: frame_local=36
// CHECK-NEXT: top 2: global=1 heap=2 local=3 escaped=4
// CHECK-NEXT: top 3: global=1 heap=2 local=3 escaped=4
// CHECK-NEXT: after: global=100 heap=200 local=300 escaped=400
// CHECK-NEXT: heap in use: unchanged
// Breadth first (and A*, every distance 0): the steps of one level before
// the next.  "top 1" made a partial candidate whose allocations (10 blocks)
// stay while its extensions are pending: the heap is back only at the end.
// BFS:      start
// BFS-NEXT: top 0: global=1 heap=2 local=3 escaped=4
// BFS-NEXT: top 1: global=1 heap=2 local=3 escaped=4
// BFS-NEXT: top 2: global=1 heap=2 local=3 escaped=4
// BFS-NEXT: top 3: global=1 heap=2 local=3 escaped=4
// BFS-NEXT: ext 0: global=11 heap=21 caller_local=6 mine=0
// BFS-NEXT: after deep: frame_local=16
// BFS-NEXT: ext 1: global=11 heap=21 caller_local=6 mine=0
// BFS-NEXT: after deep: frame_local=26
// BFS-NEXT: ext 2: global=11 heap=21 caller_local=6 mine=0
// BFS-NEXT: after deep: frame_local=36
// BFS-NEXT: after: global=100 heap=200 local=300 escaped=400
// BFS-NEXT: heap in use: unchanged
