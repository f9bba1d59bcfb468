// Page backend: the stack grows far below where it was when the
// exploration began (2 MiB of frames), and guess points deep in it still
// restore every frame: each extension unwinds through all the frames and
// finds the values they had at the guess point, although the sibling
// before it overwrote them all.
// RUN: gcc -O1 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t | FileCheck %s
#include <akeso/guess.h>
#include <stdio.h>
#include <string.h>

#define DEPTH 4000

__attribute__((noinline)) long descend(int depth, volatile char *above) {
  volatile char frame[512];
  memset((char *)frame, depth & 0x7f, sizeof frame);
  long sum;
  if (depth == DEPTH) {
    int g = akeso_guess(3);
    sum = g * 1000000000L; // the previous sibling trashed every frame
                           // while unwinding: the restore brings them back
  } else {
    sum = descend(depth + 1, frame);
  }
  for (int i = 0; i < (int)sizeof frame; i++)
    if (frame[i] != (depth & 0x7f))
      return -1;
  (void)above;
  for (int i = 0; i < (int)sizeof frame; i++)
    frame[i] = 0x55; // unwound: trash it (volatile: not optimized away)
  return sum + depth;
}

int main(void) {
  volatile char top[16];
  if (akeso_guess_strategy(AKESO_DFS)) {
    long sum = descend(0, top);
    printf("extension %ld: frames intact: %s\n", sum / 1000000000L,
           sum % 1000000000L == (long)DEPTH * (DEPTH + 1) / 2 ? "yes" : "NO");
    fflush(stdout);
    akeso_guess_fail();
  }
  printf("done\n");
  return 0;
}
// CHECK: extension 0: frames intact: yes
// CHECK: extension 1: frames intact: yes
// CHECK: extension 2: frames intact: yes
// CHECK: done
