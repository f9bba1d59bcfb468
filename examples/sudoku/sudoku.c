/* Sudoku with system-level backtracking, written as a single path to the
 * solution: propagate, then guess a digit for the open cell with the
 * fewest candidates, fail on a contradiction.  Plain C with no
 * bookkeeping to undo a guess; built with any compiler and run with the
 * page backend (AKESO_GUESS_BACKEND=pages), the runtime restores the grid.
 *
 *   gcc -O2 -Iinclude examples/sudoku/sudoku.c build/lib/libakeso_rt.a \
 *       -o sudoku && AKESO_GUESS_BACKEND=pages ./sudoku [-bfs|-astar] [grid]
 *
 * grid: 81 characters, digits and '.' (default: a puzzle needing guesses).
 * Prints every solution as 9 lines, then "solutions: N".
 */
#include <akeso/guess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grid[81];
static int *heap_grid; /* a copy on the heap: restored like the globals */

static int allowed(int cell, int d) {
  int r = cell / 9, c = cell % 9, br = r / 3 * 3, bc = c / 3 * 3;
  for (int i = 0; i < 9; i++)
    if (grid[r * 9 + i] == d || grid[i * 9 + c] == d ||
        grid[(br + i / 3) * 9 + bc + i % 3] == d)
      return 0;
  return 1;
}

static void place(int cell, int d) {
  grid[cell] = d;
  heap_grid[cell] = d;
}

/* Fills forced cells; returns the open cell with the fewest candidates
 * (-1 when the grid is full), or fails the extension on a dead end. */
static int propagate(int *cands, int *ncands) {
  for (;;) {
    int best = -1, bestn = 10, progress = 0;
    for (int cell = 0; cell < 81; cell++) {
      if (grid[cell])
        continue;
      int n = 0, last = 0;
      for (int d = 1; d <= 9; d++)
        if (allowed(cell, d))
          n++, last = d;
      if (n == 0)
        akeso_guess_fail();
      if (n == 1) {
        place(cell, last);
        progress = 1;
      } else if (n < bestn) {
        best = cell;
        bestn = n;
      }
    }
    if (progress)
      continue;
    if (best >= 0) {
      *ncands = 0;
      for (int d = 1; d <= 9; d++)
        if (allowed(best, d))
          cands[(*ncands)++] = d;
    }
    return best;
  }
}

int main(int argc, char **argv) {
  const char *puzzle = "4.....8.5.3..........7......2.....6.....8.4......1......."
                       "6.3.7.5..2.....1.4......";
  akeso_strategy strategy = AKESO_DFS;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-bfs"))
      strategy = AKESO_BFS;
    else if (!strcmp(argv[i], "-astar"))
      strategy = AKESO_ASTAR;
    else if (strlen(argv[i]) == 81)
      puzzle = argv[i];
  }
  heap_grid = calloc(81, sizeof(int));
  for (int i = 0; i < 81; i++)
    grid[i] = heap_grid[i] = puzzle[i] == '.' ? 0 : puzzle[i] - '0';
  int solutions = 0; /* lives in main's frame: counted only after the end */
  if (akeso_guess_strategy(strategy)) {
    int cands[9], n, cell;
    while ((cell = propagate(cands, &n)) >= 0) {
      /* A*: fewer open cells is closer to a solution. */
      long dist[9];
      int open = 0;
      for (int i = 0; i < 81; i++)
        open += grid[i] == 0;
      for (int i = 0; i < n; i++)
        dist[i] = open;
      place(cell, cands[akeso_guess_dist(n, dist)]);
    }
    for (int r = 0; r < 9; r++) {
      for (int c = 0; c < 9; c++)
        putchar('0' + heap_grid[r * 9 + c]);
      putchar('\n');
    }
    printf("solution\n");
    akeso_guess_fail();
  }
  /* Everything explored: the grid is the puzzle again. */
  int given = 0;
  for (int i = 0; i < 81; i++)
    given += grid[i] != 0 && heap_grid[i] == grid[i];
  printf("restored givens: %d\n", given);
  (void)solutions;
  return 0;
}
