// Page backend, plain gcc: munmap, mprotect and mremap inside extensions.
// An extension unmaps a mapping made before the guess point: its sibling
// still finds it (the unmap is deferred), and it is gone after
// akeso_guess_stop keeps that candidate.  An extension write-protects a
// mapping: the sibling can write it (the old protection is back).  A big
// realloc (mremap in glibc) works inside an extension, and its result is
// undone with it.
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t 2>&1 | FileCheck %s
#include <akeso/guess.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int mapped(void *p) { return msync(p, 4096, MS_ASYNC) == 0; }

int main(void) {
  char *victim = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *guarded = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  victim[0] = 'v';
  char *big = malloc(1 << 20); // mmap'd chunk: realloc uses mremap
  memset(big, 'b', 1 << 20);
  if (akeso_guess_strategy(AKESO_DFS)) {
    int g = akeso_guess(3);
    if (g == 0) {
      printf("0: munmap %d, mprotect %d\n", munmap(victim, 1 << 16),
             mprotect(guarded, 1 << 16, PROT_READ));
      big = realloc(big, 8 << 20);
      big[(8 << 20) - 1] = 'e';
      printf("0: realloc kept the data: %s\n",
             big[12345] == 'b' ? "yes" : "NO");
      fflush(stdout);
      akeso_guess_fail();
    }
    // CHECK: 0: munmap 0, mprotect 0
    // CHECK: 0: realloc kept the data: yes
    // CHECK: 1: victim 'v', guarded writable, big intact
    // CHECK: 2: victim 'v', guarded writable, big intact
    guarded[100] = 'g'; // would fault if the protection were still on
    printf("%d: victim '%c', guarded writable, big %s\n", g, victim[0],
           big[(1 << 20) - 1] == 'b' ? "intact" : "CHANGED");
    if (g == 2) {
      munmap(victim, 1 << 16);
      akeso_guess_stop(); // keep this candidate: its munmap happens now
      // CHECK: after stop: victim mapped 0, guarded 'g'
      printf("after stop: victim mapped %d, guarded '%c'\n", mapped(victim),
             guarded[100]);
      return 0;
    }
    fflush(stdout);
    akeso_guess_fail();
  }
  return 1;
}
