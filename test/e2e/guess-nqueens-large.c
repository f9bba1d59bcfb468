// N-queens (examples/nqueens) N = 9 and 10 with the undo backend: 352 and
// 724 solutions under DFS, BFS and A* (under a second in all; BFS and A*
// keep every partial candidate of the widest level, ~20 MB at N = 10).
// RUN: %akeso-cc -Wno-backend-plugin -O2 %S/../../examples/nqueens/nqueens.c -o %t
// RUN: %t 9 -q | FileCheck %s --check-prefix=N9
// RUN: %t 10 -q | FileCheck %s --check-prefix=N10
// RUN: %t 9 -q -bfs | FileCheck %s --check-prefix=N9
// RUN: %t 10 -q -bfs | FileCheck %s --check-prefix=N10
// RUN: %t 9 -q -astar | FileCheck %s --check-prefix=N9
// RUN: %t 10 -q -astar | FileCheck %s --check-prefix=N10
// Selected by the strategy's bits against the option (the bits win).
// RUN: env AKESO_OPTIONS=guess_backend=fork %t 10 -q -undo | FileCheck %s --check-prefix=N10
// N9-COUNT-352: {{^}}solution{{$}}
// N9-NOT: solution
// N9: {{^}}done{{$}}
// N10-COUNT-724: {{^}}solution{{$}}
// N10-NOT: solution
// N10: {{^}}done{{$}}
