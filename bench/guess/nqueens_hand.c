/* N-queens by hand-coded backtracking: the limit for examples/nqueens.
 * The same search as nqueens.c (Figure 1): column by column, every row
 * 0..N-1 tried in order, a row, rising or falling diagonal in use fails;
 * the same arrays, with the undo written by hand.  Both therefore make the
 * same extension steps: N per guess point, a guess point being a column
 * reached with every earlier queen placed (10,103,868 for N = 12, with
 * 14,200 solutions).
 *
 *   nqueens_hand N
 *
 * Prints "solutions S extensions E seconds T" (T: the search alone, CPU).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAXN 32

static int col[MAXN], row[MAXN], ld[2 * MAXN], rd[2 * MAXN];
static long solutions, extensions;

static void place(int N, int c) {
  if (c == N) {
    solutions++;
    return;
  }
  for (int r = 0; r < N; r++) {
    extensions++;
    if (row[r] || ld[r + c] || rd[N + r - c])
      continue;
    col[c] = r, row[r] = c + 1, ld[r + c] = 1, rd[N + r - c] = 1;
    place(N, c + 1);
    row[r] = 0, ld[r + c] = 0, rd[N + r - c] = 0;
  }
}

int main(int argc, char **argv) {
  int N = argc == 2 ? atoi(argv[1]) : 0;
  if (N < 1 || N > MAXN) {
    fprintf(stderr, "usage: nqueens_hand N   (1 <= N <= %d)\n", MAXN);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  place(N, 0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  printf("solutions %ld extensions %ld seconds %.6f\n", solutions, extensions,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
