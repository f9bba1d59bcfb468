// N-queens (examples/nqueens) with the fork backend, a process per
// extension: the same solution counts as the undo backend.  Forking is
// slow (about 6 ms per fork, exit and wait on the test machine, a VM), so
// N stops at 6 under DFS and 5 under BFS and A* (a step per pending path).
// RUN: %akeso-cc -Wno-backend-plugin -O2 %S/../../examples/nqueens/nqueens.c -o %t
// RUN: %t 1 -q -fork | FileCheck %s --check-prefix=N1
// RUN: %t 2 -q -fork | FileCheck %s --check-prefix=N2
// RUN: %t 3 -q -fork | FileCheck %s --check-prefix=N3
// RUN: %t 4 -q -fork | FileCheck %s --check-prefix=N4
// RUN: %t 5 -q -fork | FileCheck %s --check-prefix=N5
// RUN: %t 6 -q -fork | FileCheck %s --check-prefix=N6
// RUN: %t 1 -q -fork -bfs | FileCheck %s --check-prefix=N1
// RUN: %t 2 -q -fork -bfs | FileCheck %s --check-prefix=N2
// RUN: %t 3 -q -fork -bfs | FileCheck %s --check-prefix=N3
// RUN: %t 4 -q -fork -bfs | FileCheck %s --check-prefix=N4
// RUN: %t 5 -q -fork -bfs | FileCheck %s --check-prefix=N5
// RUN: %t 1 -q -fork -astar | FileCheck %s --check-prefix=N1
// RUN: %t 2 -q -fork -astar | FileCheck %s --check-prefix=N2
// RUN: %t 3 -q -fork -astar | FileCheck %s --check-prefix=N3
// RUN: %t 4 -q -fork -astar | FileCheck %s --check-prefix=N4
// RUN: %t 5 -q -fork -astar | FileCheck %s --check-prefix=N5
// Selected by AKESO_OPTIONS instead of -fork: still one process per extension
// (the board order is the same; the solution count too).
// RUN: env AKESO_OPTIONS=guess_backend=fork %t 6 -q | FileCheck %s --check-prefix=N6
// RUN: %t 4 -fork | FileCheck %s --check-prefix=BOARDS
// RUN: %t 6 -1 -fork | FileCheck %s --check-prefix=FIRST
// RUN: %t 5 -1 -fork -bfs | FileCheck %s --check-prefix=FIRST5
// Compiled without the akeso pass (plain clang, runtime linked by hand).
// RUN: %clang -O2 -I%akeso-include %S/../../examples/nqueens/nqueens.c -c -o %t.plain.o
// RUN: %clang %t.plain.o %akeso-rt -o %t.plain
// RUN: %t.plain 6 -q -fork | FileCheck %s --check-prefix=N6
// RUN: %t.plain 5 -q -fork -astar | FileCheck %s --check-prefix=N5
// RUN: %t.plain 6 -1 -fork | FileCheck %s --check-prefix=FIRST
// N1-COUNT-1: {{^}}solution{{$}}
// N1-NOT: solution
// N1: {{^}}done{{$}}
// N2-NOT: solution
// N2: {{^}}done{{$}}
// N3-NOT: solution
// N3: {{^}}done{{$}}
// N4-COUNT-2: {{^}}solution{{$}}
// N4-NOT: solution
// N4: {{^}}done{{$}}
// N5-COUNT-10: {{^}}solution{{$}}
// N5-NOT: solution
// N5: {{^}}done{{$}}
// N6-COUNT-4: {{^}}solution{{$}}
// N6-NOT: solution
// N6: {{^}}done{{$}}
// BOARDS:      ..Q.
// BOARDS-NEXT: Q...
// BOARDS-NEXT: ...Q
// BOARDS-NEXT: .Q..
// BOARDS-EMPTY:
// BOARDS-NEXT: solution
// BOARDS-NEXT: .Q..
// BOARDS-NEXT: ...Q
// BOARDS-NEXT: Q...
// BOARDS-NEXT: ..Q.
// BOARDS-EMPTY:
// BOARDS-NEXT: solution
// BOARDS-NEXT: done
// FIRST-COUNT-1: solution
// FIRST-NEXT: first solution: col[] = 1 3 5 0 2 4
// FIRST-NOT: solution
// FIRST-NOT: done
// FIRST5-COUNT-1: solution
// FIRST5-NEXT: first solution: col[] = 0 2 4 1 3
// FIRST5-NOT: solution
// FIRST5-NOT: done
