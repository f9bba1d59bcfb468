// N-queens (examples/nqueens, Figure 1 of the backtracking paper) under
// DFS, BFS and A*: the number of solutions for N = 1..8 is 1, 0, 0, 2, 10, 4, 40, 92.
// Every solution prints a line "solution"; the count is checked exactly.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %S/../../examples/nqueens/nqueens.c -o %t
// RUN: %akeso-cc -Wno-backend-plugin -O0 %S/../../examples/nqueens/nqueens.c -o %t.O0
// RUN: %t 1 -q | FileCheck %s --check-prefix=N1
// RUN: %t 2 -q | FileCheck %s --check-prefix=N2
// RUN: %t 3 -q | FileCheck %s --check-prefix=N3
// RUN: %t 4 -q | FileCheck %s --check-prefix=N4
// RUN: %t 5 -q | FileCheck %s --check-prefix=N5
// RUN: %t 6 -q | FileCheck %s --check-prefix=N6
// RUN: %t 7 -q | FileCheck %s --check-prefix=N7
// RUN: %t 8 -q | FileCheck %s --check-prefix=N8
// RUN: %t.O0 6 -q | FileCheck %s --check-prefix=N6
// RUN: %t.O0 8 -q | FileCheck %s --check-prefix=N8
// RUN: %t.O0 6 -q -bfs | FileCheck %s --check-prefix=N6
// RUN: %t.O0 6 -q -astar | FileCheck %s --check-prefix=N6
// Boards are printed in DFS order (first and second board of N=4).
// RUN: %t 4 | FileCheck %s --check-prefix=BOARDS
// First solution only: akeso_guess_stop keeps the extension's state.
// RUN: %t 8 -1 | FileCheck %s --check-prefix=FIRST
// The same under BFS (the leaves are at depth N: same order as DFS).
// RUN: %t 1 -q -bfs | FileCheck %s --check-prefix=N1
// RUN: %t 2 -q -bfs | FileCheck %s --check-prefix=N2
// RUN: %t 3 -q -bfs | FileCheck %s --check-prefix=N3
// RUN: %t 4 -q -bfs | FileCheck %s --check-prefix=N4
// RUN: %t 5 -q -bfs | FileCheck %s --check-prefix=N5
// RUN: %t 6 -q -bfs | FileCheck %s --check-prefix=N6
// RUN: %t 7 -q -bfs | FileCheck %s --check-prefix=N7
// RUN: %t 8 -q -bfs | FileCheck %s --check-prefix=N8
// RUN: %t 4 -bfs | FileCheck %s --check-prefix=BOARDS
// RUN: %t 8 -1 -bfs | FileCheck %s --check-prefix=FIRST
// A* with plain guesses (no distances): every extension ties.
// RUN: %t 1 -q -astar | FileCheck %s --check-prefix=N1
// RUN: %t 2 -q -astar | FileCheck %s --check-prefix=N2
// RUN: %t 3 -q -astar | FileCheck %s --check-prefix=N3
// RUN: %t 4 -q -astar | FileCheck %s --check-prefix=N4
// RUN: %t 5 -q -astar | FileCheck %s --check-prefix=N5
// RUN: %t 6 -q -astar | FileCheck %s --check-prefix=N6
// RUN: %t 7 -q -astar | FileCheck %s --check-prefix=N7
// RUN: %t 8 -q -astar | FileCheck %s --check-prefix=N8
// RUN: %t 8 -1 -astar | FileCheck %s --check-prefix=FIRST
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
// N7-COUNT-40: {{^}}solution{{$}}
// N7-NOT: solution
// N7: {{^}}done{{$}}
// N8-COUNT-92: {{^}}solution{{$}}
// N8-NOT: solution
// N8: {{^}}done{{$}}
// BOARDS:      ..Q.
// BOARDS-NEXT: Q...
// BOARDS-NEXT: ...Q
// BOARDS-NEXT: .Q..
// BOARDS:      solution
// BOARDS:      .Q..
// BOARDS-NEXT: ...Q
// BOARDS-NEXT: Q...
// BOARDS-NEXT: ..Q.
// BOARDS:      solution
// BOARDS-NEXT: done
// FIRST:      solution
// FIRST-NEXT: first solution: col[] = 0 4 7 5 2 6 1 3
// FIRST-NOT: solution
