// The order in which extensions run: depth first (each guess point's
// extensions before its siblings') or breadth first (a level at a time).
// Output of an extension is passed through in that order, and a guess with
// one extension is not a branch.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: %t dfs | FileCheck %s --check-prefix=DFS
// RUN: %t bfs | FileCheck %s --check-prefix=BFS
#include <akeso/guess.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  akeso_strategy s = argc > 1 && !strcmp(argv[1], "bfs") ? AKESO_BFS : AKESO_DFS;
  int steps = 0;
  if (akeso_guess_strategy(s)) {
    int a = akeso_guess(2);
    printf("a=%d\n", a);
    int one = akeso_guess(1);
    int b = akeso_guess(3);
    ++steps;
    printf("a=%d one=%d b=%d steps=%d\n", a, one, b, steps);
    if (b == 2)
      akeso_guess_fail();
    printf("leaf a=%d b=%d\n", a, b);
    akeso_guess_fail();
  }
  printf("done steps=%d\n", steps);
  return 0;
}
// DFS:      a=0
// DFS-NEXT: a=0 one=0 b=0 steps=1
// DFS-NEXT: leaf a=0 b=0
// DFS-NEXT: a=0 one=0 b=1 steps=1
// DFS-NEXT: leaf a=0 b=1
// DFS-NEXT: a=0 one=0 b=2 steps=1
// DFS-NEXT: a=1
// DFS-NEXT: a=1 one=0 b=0 steps=1
// DFS-NEXT: leaf a=1 b=0
// DFS-NEXT: a=1 one=0 b=1 steps=1
// DFS-NEXT: leaf a=1 b=1
// DFS-NEXT: a=1 one=0 b=2 steps=1
// DFS-NEXT: done steps=0
// BFS:      a=0
// BFS-NEXT: a=1
// BFS-NEXT: a=0 one=0 b=0 steps=1
// BFS-NEXT: leaf a=0 b=0
// BFS-NEXT: a=0 one=0 b=1 steps=1
// BFS-NEXT: leaf a=0 b=1
// BFS-NEXT: a=0 one=0 b=2 steps=1
// BFS-NEXT: a=1 one=0 b=0 steps=1
// BFS-NEXT: leaf a=1 b=0
// BFS-NEXT: a=1 one=0 b=1 steps=1
// BFS-NEXT: leaf a=1 b=1
// BFS-NEXT: a=1 one=0 b=2 steps=1
// BFS-NEXT: done steps=0
