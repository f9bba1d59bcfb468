// N-queens compiled with plain gcc (no akeso pass, no instrumentation) and
// explored with the page backend: page snapshots restore the globals and
// the stack.  Solutions for N = 1, 4, 5, 6: 1, 2, 10, 4.
// RUN: gcc -O2 -I%S/../../include %S/../../examples/nqueens/nqueens.c %akeso-rt -o %t
// RUN: gcc -O0 -I%S/../../include %S/../../examples/nqueens/nqueens.c %akeso-rt -o %t.O0
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 1 -q | FileCheck %s --check-prefix=N1
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 4 -q | FileCheck %s --check-prefix=N4
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 6 -q | FileCheck %s --check-prefix=N6
// RUN: env AKESO_OPTIONS=guess_backend=pages %t.O0 5 -q | FileCheck %s --check-prefix=N5
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 4 -q -bfs | FileCheck %s --check-prefix=N4
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 6 -q -bfs | FileCheck %s --check-prefix=N6
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 6 -q -astar | FileCheck %s --check-prefix=N6
// RUN: env AKESO_OPTIONS=guess_backend=pages %t.O0 5 -q -astar | FileCheck %s --check-prefix=N5
// The same with write tracking by userfaultfd write-protect instead of
// comparison (AKESO_OPTIONS pages_track=, docs/host.md).
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t 5 -q | FileCheck %s --check-prefix=N5
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t 4 -q -bfs | FileCheck %s --check-prefix=N4
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t.O0 4 -q -astar | FileCheck %s --check-prefix=N4
// Larger boards (comparison only: fast enough for a test here).
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 8 -q | FileCheck %s --check-prefix=N8
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 8 -q -bfs | FileCheck %s --check-prefix=N8
// Boards in DFS order, and the first solution kept by akeso_guess_stop.
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 4 | FileCheck %s --check-prefix=BOARDS
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 6 -1 | FileCheck %s --check-prefix=FIRST
//
// N1-COUNT-1: solution
// N1-NOT: solution
// N1: done
// N4-COUNT-2: solution
// N4-NOT: solution
// N4: done
// N5-COUNT-10: solution
// N5-NOT: solution
// N5: done
// N6-COUNT-4: solution
// N6-NOT: solution
// N6: done
// N8-COUNT-92: solution
// N8-NOT: solution
// N8: done
// BOARDS:      ..Q.
// BOARDS-NEXT: Q...
// BOARDS-NEXT: ...Q
// BOARDS-NEXT: .Q..
// BOARDS:      solution
// BOARDS-NEXT: .Q..
// BOARDS-NEXT: ...Q
// BOARDS-NEXT: Q...
// BOARDS-NEXT: ..Q.
// BOARDS:      solution
// BOARDS-NEXT: done
// FIRST:      solution
// FIRST-NEXT: first solution: col[] = 1 3 5 0 2 4
// FIRST-NOT:  solution
