// Sudoku (examples/sudoku) compiled with plain gcc, solved under DFS, BFS
// and A* with the page backend: one solution, and once everything is
// explored the grid (globals and heap) is the puzzle again.
// RUN: gcc -O2 -I%S/../../include %S/../../examples/sudoku/sudoku.c %akeso-rt -o %t
// RUN: env AKESO_GUESS_BACKEND=pages %t | FileCheck %s
// RUN: env AKESO_GUESS_BACKEND=pages %t -bfs | FileCheck %s
// RUN: env AKESO_GUESS_BACKEND=pages %t -astar | FileCheck %s
// RUN: env AKESO_GUESS_BACKEND=pages AKESO_PAGES_TRACK=uffd %t | FileCheck %s
// CHECK:      417369825
// CHECK-NEXT: 632158947
// CHECK-NEXT: 958724316
// CHECK-NEXT: 825437169
// CHECK-NEXT: 791586432
// CHECK-NEXT: 346912758
// CHECK-NEXT: 289643571
// CHECK-NEXT: 573291684
// CHECK-NEXT: 164875293
// CHECK-NEXT: solution
// CHECK-NOT:  solution
// CHECK:      restored givens: 17
