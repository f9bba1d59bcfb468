// Shortest path with akeso_guess_dist: under AKESO_ASTAR the pending
// extension with the smallest distance (cost so far + heuristic) runs next,
// so the first goal reached is the cheapest and, without a stop, goals are
// reached in order of cost.  DFS and BFS ignore the distances.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: %t astar first | FileCheck %s --check-prefix=ASTAR-FIRST
// RUN: %t astar all | FileCheck %s --check-prefix=ASTAR-ALL
// RUN: %t dfs first | FileCheck %s --check-prefix=DFS-FIRST
// RUN: %t dfs all | FileCheck %s --check-prefix=DFS-ALL
// RUN: %t bfs first | FileCheck %s --check-prefix=BFS-FIRST
#include <akeso/guess.h>
#include <stdio.h>
#include <string.h>

// 0 -1-> 1, 0 -4-> 2, 1 -10-> 4, 1 -1-> 2, 2 -1-> 3, 3 -1-> 4; goal 4.
enum { GOAL = 4 };
const int degree[5] = {2, 2, 1, 1, 0};
const int to[5][2] = {{1, 2}, {4, 2}, {3}, {4}, {0}};
const long weight[5][2] = {{1, 4}, {10, 1}, {1}, {1}, {0}};
// An admissible heuristic: hops to the goal.
const long h[5] = {2, 1, 2, 1, 0};

int main(int argc, char **argv) {
  akeso_strategy s = !strcmp(argv[1], "astar") ? AKESO_ASTAR
                     : !strcmp(argv[1], "bfs") ? AKESO_BFS
                                               : AKESO_DFS;
  int first = !strcmp(argv[2], "first");
  int node = 0, path[16], len = 0;
  long cost = 0;
  if (akeso_guess_strategy(s)) {
    path[len++] = node;
    while (node != GOAL) {
      long dist[2];
      for (int i = 0; i < degree[node]; ++i)
        dist[i] = cost + weight[node][i] + h[to[node][i]];
      int i = akeso_guess_dist(degree[node], dist);
      cost += weight[node][i];
      node = to[node][i];
      path[len++] = node;
    }
    printf("path");
    for (int i = 0; i < len; ++i)
      printf(" %d", path[i]);
    printf(" cost=%ld\n", cost);
    if (first)
      akeso_guess_stop();
    else
      akeso_guess_fail();
  }
  printf("end cost=%ld len=%d active=%d\n", cost, len, akeso_guess_active());
  return 0;
}
// ASTAR-FIRST:      path 0 1 2 3 4 cost=4
// ASTAR-FIRST-NEXT: end cost=4 len=5 active=0
// ASTAR-ALL:        path 0 1 2 3 4 cost=4
// ASTAR-ALL-NEXT:   path 0 2 3 4 cost=6
// ASTAR-ALL-NEXT:   path 0 1 4 cost=11
// ASTAR-ALL-NEXT:   end cost=0 len=0 active=0
// DFS-FIRST:        path 0 1 4 cost=11
// DFS-FIRST-NEXT:   end cost=11 len=3 active=0
// DFS-ALL:          path 0 1 4 cost=11
// DFS-ALL-NEXT:     path 0 1 2 3 4 cost=4
// DFS-ALL-NEXT:     path 0 2 3 4 cost=6
// DFS-ALL-NEXT:     end cost=0 len=0 active=0
// BFS-FIRST:        path 0 1 4 cost=11
// BFS-FIRST-NEXT:   end cost=11 len=3 active=0
