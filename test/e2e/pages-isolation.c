// Page backend, plain gcc: sibling extensions never see each other's
// writes to globals (data and bss), the heap (brk and mmap'd chunks), a
// stack local of a caller frame, or an anonymous mapping made before the
// exploration; brk growth and mmaps made inside an extension are undone
// (the program break and the mapping are gone after the exploration).
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages %t bfs 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t 2>&1 | FileCheck %s
// RUN: gcc -O0 -I%S/../../include %s %akeso-rt -o %t.O0
// RUN: env AKESO_OPTIONS=guess_backend=pages %t.O0 2>&1 | FileCheck %s
#include <akeso/guess.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

long data_global = 100; // .data
long bss_global;        // .bss
char *small_heap;       // brk heap
char *big_heap;         // malloc'd through mmap (above the mmap threshold)
char *region;           // an anonymous mapping
void *made_inside[3];   // mappings each extension made (kept outside it?)
void *brk_at_start;

__attribute__((noinline)) void deep(int depth, long *caller_local) {
  if (depth > 0) {
    deep(depth - 1, caller_local);
    return;
  }
  int g = akeso_guess(3);
  int ok = data_global == 100 && bss_global == 0 && small_heap[10] == 's' &&
           big_heap[1 << 20] == 'b' && region[8192] == 'r' &&
           *caller_local == 7 && sbrk(0) == brk_at_start;
  printf("extension %d sees the guess point's state: %s\n", g,
         ok ? "yes" : "NO");
  data_global = 1000 + g;
  bss_global = 2000 + g;
  small_heap[10] = 'x';
  big_heap[1 << 20] = 'y';
  region[8192] = 'z';
  *caller_local = -1;
  // Grow the heap by 8 MiB (brk) and map 1 MiB; write to both.
  char *grown = sbrk(8 << 20);
  grown[100] = 1;
  char *mine = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mine[4096] = 1;
  made_inside[g] = mine; // (this write is undone too)
  printf("extension %d wrote everything\n", g);
  fflush(stdout);
  akeso_guess_fail();
}

// Bytes mapped by the process.
static unsigned long mapped_bytes(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  unsigned long lo, hi, total = 0;
  char line[512];
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
      total += hi - lo;
  fclose(f);
  return total;
}

int main(int argc, char **argv) {
  akeso_strategy s = argc > 1 && !strcmp(argv[1], "bfs") ? AKESO_BFS : AKESO_DFS;
  small_heap = malloc(64);
  small_heap[10] = 's';
  big_heap = malloc(4 << 20);
  big_heap[1 << 20] = 'b';
  region = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  region[8192] = 'r';
  // An empty exploration first: the runtime maps its own tables once.
  if (akeso_guess_strategy(s))
    akeso_guess_fail();
  brk_at_start = sbrk(0);
  unsigned long before = mapped_bytes();
  long local = 7;
  if (akeso_guess_strategy(s)) {
    deep(5, &local);
  }
  // CHECK: extension 0 sees the guess point's state: yes
  // CHECK: extension 0 wrote everything
  // CHECK: extension 1 sees the guess point's state: yes
  // CHECK: extension 1 wrote everything
  // CHECK: extension 2 sees the guess point's state: yes
  // CHECK: extension 2 wrote everything
  int ok = data_global == 100 && bss_global == 0 && small_heap[10] == 's' &&
           big_heap[1 << 20] == 'b' && region[8192] == 'r' && local == 7 &&
           made_inside[0] == NULL && sbrk(0) == brk_at_start;
  // CHECK: after the exploration: state restored yes
  printf("after the exploration: state restored %s\n", ok ? "yes" : "NO");
  // CHECK: mappings and heap growth of the extensions undone: yes
  unsigned long after = mapped_bytes();
  printf("mappings and heap growth of the extensions undone: %s\n",
         after == before ? "yes" : "NO");
  if (after != before)
    printf("(%lu bytes mapped before, %lu after)\n", before, after);
  return 0;
}
