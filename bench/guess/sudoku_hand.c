/* Sudoku by hand-coded backtracking: the limit for examples/sudoku.
 * The same search as sudoku.c's default (DFS, empty cells in reading
 * order, digits 1..9, a clash fails), with the undo written by hand, so
 * both make the same extension steps: 9 per guess point, a guess point
 * being an empty cell reached with every earlier cell filled.
 *
 *   sudoku_hand [-q] PUZZLE      (81 cells on one line or in a file, as
 *                                 for sudoku.c; '.' or '0' empty)
 *
 * Prints every solution (unless -q), then
 * "solutions S extensions E seconds T" (T: the search alone, CPU).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int grid[81], rowm[9], colm[9], boxm[9];
static int empties[81], nempty;
static long solutions, extensions;
static int quiet;

static int box_of(int c) { return c / 27 * 3 + c % 9 / 3; }

static void solve(int k) {
  if (k == nempty) {
    solutions++;
    if (!quiet) {
      for (int c = 0; c < 81; c++)
        putchar('0' + grid[c]), c % 9 == 8 ? putchar('\n') : 0;
      puts("solution");
    }
    return;
  }
  int cell = empties[k], r = cell / 9, c = cell % 9, b = box_of(cell);
  for (int d = 1; d <= 9; d++) {
    extensions++;
    int bit = 1 << d;
    if ((rowm[r] | colm[c] | boxm[b]) & bit)
      continue;
    grid[cell] = d, rowm[r] |= bit, colm[c] |= bit, boxm[b] |= bit;
    solve(k + 1);
    grid[cell] = 0, rowm[r] &= ~bit, colm[c] &= ~bit, boxm[b] &= ~bit;
  }
}

/* Reads the cells of TEXT, skipping what sudoku.c skips (no comments on
 * the command line; in files '#' to the end of the line). */
static int parse(const char *text) {
  int n = 0;
  for (const char *p = text; *p; p++) {
    if (*p == '#') {
      while (p[1] && p[1] != '\n')
        p++;
      continue;
    }
    if (strchr(" \t\r\n|+-", *p))
      continue;
    if (*p != '.' && (*p < '0' || *p > '9'))
      return fprintf(stderr, "sudoku_hand: bad character '%c'\n", *p), -1;
    if (n == 81)
      return fprintf(stderr, "sudoku_hand: more than 81 cells\n"), -1;
    int d = *p == '.' ? 0 : *p - '0', bit = 1 << d;
    if (d && ((rowm[n / 9] | colm[n % 9] | boxm[box_of(n)]) & bit))
      return fprintf(stderr, "sudoku_hand: clashing given at cell %d\n", n + 1), -1;
    if (d)
      grid[n] = d, rowm[n / 9] |= bit, colm[n % 9] |= bit, boxm[box_of(n)] |= bit;
    else
      empties[nempty++] = n;
    n++;
  }
  if (n != 81)
    return fprintf(stderr, "sudoku_hand: %d cells, expected 81\n", n), -1;
  return 0;
}

int main(int argc, char **argv) {
  int a = 1;
  if (a < argc && !strcmp(argv[a], "-q"))
    quiet = 1, a++;
  if (a + 1 != argc) {
    fprintf(stderr, "usage: sudoku_hand [-q] PUZZLE-FILE|81-CELLS\n");
    return 2;
  }
  static char buf[1 << 16];
  FILE *f = fopen(argv[a], "r");
  if (f) {
    buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
    fclose(f);
  } else
    snprintf(buf, sizeof buf, "%s", argv[a]);
  if (parse(buf) < 0)
    return 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  solve(0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  printf("solutions %ld extensions %ld seconds %.6f\n", solutions, extensions,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
