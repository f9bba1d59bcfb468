// A recovery event inside an extension (akeso_fault, a caught SIGSEGV)
// rolls back the extension's domain like akeso_guess_fail, after the
// runtime's usual report, and the exploration goes on with the next one.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: %t dfs 2>&1 | FileCheck %s
// RUN: %t bfs 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <akeso/guess.h>
#include <stdio.h>
#include <string.h>

long counter;

int main(int argc, char **argv) {
  akeso_strategy s = !strcmp(argv[1], "bfs") ? AKESO_BFS : AKESO_DFS;
  if (akeso_guess_strategy(s)) {
    counter += 1;
    int g = akeso_guess(4);
    counter += 10;
    printf("extension %d counter=%ld\n", g, counter);
    fflush(stdout);
    if (g == 1)
      akeso_fault("bad extension");
    if (g == 2) {
      volatile int *p = (int *)16;
      *p = 1;
    }
    akeso_guess_fail();
  }
  printf("done counter=%ld\n", counter);
  return 0;
}
// CHECK:      extension 0 counter=11
// CHECK-NEXT: extension 1 counter=11
// CHECK-NEXT: akeso: fault in domain {{.*}}bad extension
// CHECK-NEXT: extension 2 counter=11
// CHECK-NEXT: akeso: fault in domain {{.*}}SIGSEGV accessing 0x10
// CHECK-NEXT: extension 3 counter=11
// CHECK-NEXT: done counter=0
