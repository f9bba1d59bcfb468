// Memory of partial candidates under BFS and A* (undo backend):
//  - "lifetime": a heap block allocated by the step that made a partial
//    candidate stays allocated, with its contents, while extensions of
//    that candidate (or of its descendants) are pending, and is released
//    when the candidate dies (its last pending descendant ran), not at the
//    end of the exploration;
//  - "bound": A* on a wide, shallow tree (K extensions at the root, each
//    writing 4096 words and allocating a block before its own guess point
//    of two extensions that fail) whose order keeps few candidates alive:
//    the heap in use stays bounded while the number of extensions grows;
//    a candidate that is not kept would grow it by K * 32 KB;
//  - "stop": akeso_guess_stop keeps the allocations of the stopping
//    path's candidates and runs their frees; other candidates' blocks are
//    released, pending or not.
// Heap use is mallinfo2's uordblks (partial candidates come from the same
// malloc); its caches are turned off so "in use" is exact.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t lifetime bfs 2>&1 | FileCheck %s --check-prefix=LIFE-BFS
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t lifetime astar 2>&1 | FileCheck %s --check-prefix=LIFE-ASTAR
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t stop 0 2>&1 | FileCheck %s --check-prefix=STOP0
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t stop 1 2>&1 | FileCheck %s --check-prefix=STOP1
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t bound 100 2>&1 | FileCheck %s --check-prefix=BOUND
// RUN: env GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0 %t bound 3000 2>&1 | FileCheck %s --check-prefix=BOUND
#include <akeso/guess.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Block = 64 * 1024 }; // below the mmap threshold: counted in uordblks

size_t base;
// In 64 KB blocks, rounded: the runtime's own candidates are far smaller.
static long blocks_in_use(void) {
  return (long)((mallinfo2().uordblks - base + Block / 2) / Block);
}

char *block[2];

static void lifetime(akeso_strategy s) {
  printf("lifetime\n");
  base = mallinfo2().uordblks;
  if (akeso_guess_strategy(s)) {
    int a = akeso_guess(2);
    block[a] = malloc(Block);
    memset(block[a], 'A' + a, Block);
    int b = akeso_guess(2);
    // Candidate a's block is its own, with its contents; the other
    // candidate's block exists while that candidate has pending extensions.
    printf("a=%d b=%d: block %s, %ld blocks in use\n", a, b,
           block[a][0] == 'A' + a && block[a][Block - 1] == 'A' + a
               ? "intact"
               : "WRONG",
           blocks_in_use());
    akeso_guess_fail();
  }
  printf("after: %ld blocks in use\n", blocks_in_use());
}

// akeso_guess_stop in the extension (Stop, 1) of candidate Stop: the
// candidates of the stopping path keep their allocations and their frees
// run; the others, pending or not, die with their allocations.  Candidate
// 1 frees a block allocated before the exploration.
static void stop(int Stop) {
  printf("stop at a=%d\n", Stop);
  char *old = malloc(Block);
  base = mallinfo2().uordblks;
  if (akeso_guess_strategy(AKESO_BFS)) {
    int a = akeso_guess(2);
    block[a] = malloc(Block);
    memset(block[a], 'A' + a, Block);
    if (a == 1) {
      free(old);
      old = NULL;
    }
    int b = akeso_guess(2);
    if (a == Stop && b == 1)
      akeso_guess_stop();
    else
      akeso_guess_fail();
  }
  printf("after: block[%d] %s, old block %s, %ld blocks in use\n", Stop,
         block[Stop] && block[Stop][Block - 1] == 'A' + Stop ? "intact"
                                                              : "WRONG",
         old ? "kept" : "freed", blocks_in_use());
}

enum { Words = 4096, MaxK = 4096 };
long table[Words];
long dist[MaxK];

static void bound(int k) {
  if (k < 1 || k > MaxK)
    return;
  for (int i = 0; i < k; ++i)
    dist[i] = i; // extension i's subtree runs before extension i + 1
  printf("bound %d\n", k); // stdout's buffer is allocated before base
  base = mallinfo2().uordblks;
  if (akeso_guess_strategy(AKESO_ASTAR)) {
    int i = akeso_guess_dist(k, dist);
    for (int w = 0; w < Words; ++w)
      table[w] = i + w;
    char *p = malloc(1000);
    p[0] = (char)i;
    int j = akeso_guess(2);
    size_t now = mallinfo2().uordblks - base;
    if (now > 1024 * 1024)
      printf("UNBOUNDED at extension %d: %zu bytes in use\n", i, now);
    if (table[Words - 1] != i + Words - 1 || p[0] != (char)i)
      printf("WRONG state at extension %d\n", i);
    if (i == k - 1 && j == 1)
      printf("last leaf: %zu bytes in use\n", now);
    akeso_guess_fail();
  }
  printf("after: %zu bytes in use\n", mallinfo2().uordblks - base);
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  if (!strcmp(argv[1], "stop"))
    stop(atoi(argv[2]));
  else if (!strcmp(argv[1], "lifetime"))
    lifetime(!strcmp(argv[2], "astar") ? AKESO_ASTAR : AKESO_BFS);
  else
    bound(atoi(argv[2]));
  return 0;
}
// BFS: both candidates of the first level and their blocks are alive
// while the second level runs; candidate 0 dies (its block with it) once
// its two extensions ran.
// LIFE-BFS:      a=0 b=0: block intact, 2 blocks in use
// LIFE-BFS-NEXT: a=0 b=1: block intact, 2 blocks in use
// LIFE-BFS-NEXT: a=1 b=0: block intact, 1 blocks in use
// LIFE-BFS-NEXT: a=1 b=1: block intact, 1 blocks in use
// LIFE-BFS-NEXT: after: 0 blocks in use
// A*, every distance 0: the same order.
// LIFE-ASTAR:      a=0 b=0: block intact, 2 blocks in use
// LIFE-ASTAR-NEXT: a=0 b=1: block intact, 2 blocks in use
// LIFE-ASTAR-NEXT: a=1 b=0: block intact, 1 blocks in use
// LIFE-ASTAR-NEXT: a=1 b=1: block intact, 1 blocks in use
// LIFE-ASTAR-NEXT: after: 0 blocks in use
//
// BOUND-NOT: UNBOUNDED
// BOUND-NOT: WRONG
// BOUND:     last leaf: {{[0-9]+}} bytes in use
// BOUND-NEXT: after: 0 bytes in use
// Stop at (0, 1): candidate 1 is still pending; its block goes, and its
// free of the old block never runs.
// STOP0: after: block[0] intact, old block kept, 1 blocks in use
// Stop at (1, 1): candidate 0 died before; candidate 1's free runs.
// STOP1: after: block[1] intact, old block freed, 0 blocks in use
