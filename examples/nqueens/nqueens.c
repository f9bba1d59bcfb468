/* N-queens with system-level backtracking: Figure 1 of
 * ../shared/seeds/001_* written with akeso's guess API.  The program is a
 * single path to a solution; akeso_guess "guesses" the row of every queen
 * and akeso_guess_fail backtracks.  No bookkeeping undoes anything: the
 * runtime restores the arrays, the stack and the heap.
 *
 *   akeso-cc -O2 examples/nqueens/nqueens.c -o nqueens && ./nqueens 8
 *
 * Prints every board followed by a line "solution", then "done".
 * `-q` prints only the "solution" lines, `-1` stops at the first solution,
 * `-bfs` explores breadth first instead of depth first, `-astar` best first
 * (plain guesses carry no distance, so that is breadth first too), `-fork`
 * keeps the partial candidates as processes (the fork() baseline) instead
 * of in the undo log, `-undo` names the undo log explicitly (whatever
 * AKESO_OPTIONS guess_backend= says).
 */
#include <akeso/guess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 32

int col[MAXN], row[MAXN], ld[2 * MAXN], rd[2 * MAXN];
int quiet;

/* Every write below is undone when the extension fails, so nothing in
 * memory counts solutions across extensions: each solution prints a line
 * "solution" (output passes through backtracking), which the caller counts. */
static void printboard(int N) {
  if (quiet)
    return;
  for (int r = 0; r < N; r++) {
    for (int c = 0; c < N; c++)
      putchar(col[c] == r ? 'Q' : '.');
    putchar('\n');
  }
  putchar('\n');
}

void nqueens(int N) {
  for (int c = 0; c < N; c++) {
    int r = akeso_guess(N); /* a little magic */
    if (row[r] || ld[r + c] || rd[N + r - c])
      akeso_guess_fail(); /* backtrack */
    col[c] = r;
    row[r] = c + 1;
    ld[r + c] = 1;
    rd[N + r - c] = 1;
  }
  printboard(N);
}

int main(int argc, char **argv) {
  int N = argc > 1 ? atoi(argv[1]) : 8;
  int first = 0;
  int strategy = AKESO_DFS, backend = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-q"))
      quiet = 1;
    if (!strcmp(argv[i], "-1"))
      first = 1;
    if (!strcmp(argv[i], "-bfs"))
      strategy = AKESO_BFS;
    if (!strcmp(argv[i], "-astar"))
      strategy = AKESO_ASTAR;
    if (!strcmp(argv[i], "-fork"))
      backend = AKESO_BACKEND_FORK;
    if (!strcmp(argv[i], "-undo"))
      backend = AKESO_BACKEND_UNDO;
  }
  if (N < 1 || N > MAXN) {
    fprintf(stderr, "N must be in 1..%d\n", MAXN);
    return 2;
  }
  if (akeso_guess_strategy(strategy | backend)) {
    nqueens(N);
    printf("solution\n");
    if (first) {
      akeso_guess_stop(); /* keep this board, drop the rest */
      printf("first solution: col[] =");
      for (int c = 0; c < N; c++)
        printf(" %d", col[c]);
      printf("\n");
      return 0;
    }
    akeso_guess_fail(); /* print all answers */
  }
  printf("done\n");
  return 0;
}
