/* Sudoku with system-level backtracking, in the single-path style of
 * Figure 1 of ../shared/seeds/001_*: the program walks the empty cells once
 * and "guesses" each one's digit with akeso_guess(9); a digit that clashes
 * with its row, column or box fails the extension.  Nothing is undone by
 * hand: the runtime restores the grid and the bitmaps.
 *
 *   akeso-cc -O2 examples/sudoku/sudoku.c -o sudoku
 *   ./sudoku examples/sudoku/puzzles/easy.txt
 *   ./sudoku 53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79
 *
 * The puzzle is 81 cells, a file name or the cells themselves: '1'..'9'
 * given, '.' or '0' empty; white space and the characters "|+-" (grid
 * drawings) are ignored, and in a file a '#' starts a comment that runs to
 * the end of the line.  Prints every solution as 9 lines of digits
 * followed by a line "solution", then "done".
 *
 *   -q      print only the "solution" lines
 *   -1      stop at the first solution (akeso_guess_stop)
 *   -bfs    breadth first
 *   -astar  best first: the most constrained empty cell next, each digit
 *           with a distance (see guess_cell_astar)
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <akeso/guess.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int grid[81];                   /* 0 = empty */
int rowmask[9], colmask[9], boxmask[9]; /* bit d set: digit d is used */
int quiet;

static int box_of(int cell) { return cell / 27 * 3 + cell % 9 / 3; }

static int used(int cell) {
  return rowmask[cell / 9] | colmask[cell % 9] | boxmask[box_of(cell)];
}

static void place(int cell, int d) {
  grid[cell] = d;
  rowmask[cell / 9] |= 1 << d;
  colmask[cell % 9] |= 1 << d;
  boxmask[box_of(cell)] |= 1 << d;
}

static void print_grid(void) {
  if (quiet)
    return;
  for (int r = 0; r < 9; r++) {
    for (int c = 0; c < 9; c++)
      putchar('0' + grid[r * 9 + c]);
    putchar('\n');
  }
}

/* Figure 1's loop: every empty cell in reading order gets a guessed digit. */
static void solve_in_order(void) {
  for (int cell = 0; cell < 81; cell++) {
    if (grid[cell])
      continue;
    int d = akeso_guess(9) + 1; /* a little magic */
    if (used(cell) & (1 << d))
      akeso_guess_fail(); /* backtrack */
    place(cell, d);
  }
}

/* A*: the empty cell with the fewest digits left (ties: the first), and
 * per digit the distance f = g + h with g = 0 (every solution fills the
 * same cells, so the cost so far tells nothing) and h = the number of
 * empty cells left, plus 81 for a digit that clashes.  Deeper candidates
 * run first (the search goes straight down while the guesses hold) and
 * clashing digits are explored last, where they fail at once.  The
 * extensions still number 9, as under DFS and BFS, so the same digit is
 * extension d - 1 under every strategy. */
static int most_constrained(int *empty) {
  int best = -1, best_free = 10;
  *empty = 0;
  for (int cell = 0; cell < 81; cell++) {
    if (grid[cell])
      continue;
    ++*empty;
    int free = 9 - __builtin_popcount(used(cell) >> 1);
    if (free < best_free) {
      best = cell;
      best_free = free;
    }
  }
  return best;
}

static void solve_astar(void) {
  int empty, cell;
  while ((cell = most_constrained(&empty)) >= 0) {
    long dist[9];
    int u = used(cell);
    for (int d = 1; d <= 9; d++)
      dist[d - 1] = (empty - 1) + ((u & (1 << d)) ? 81 : 0);
    int d = akeso_guess_dist(9, dist) + 1;
    if (u & (1 << d))
      akeso_guess_fail();
    place(cell, d);
  }
}

/* Reads the puzzle from TEXT into grid[] and the masks; on error prints
 * what is wrong with it (WHERE names the source) and returns -1. */
static int parse(const char *text, const char *where, int is_file) {
  int n = 0, line = 1;
  for (const char *p = text; *p; p++) {
    char ch = *p;
    if (ch == '\n')
      line++;
    if (is_file && ch == '#') {
      while (p[1] && p[1] != '\n')
        p++;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '|' ||
        ch == '+' || ch == '-')
      continue;
    if (ch != '.' && (ch < '0' || ch > '9')) {
      fprintf(stderr,
              "sudoku: %s:%d: unexpected character '%c' (cell %d): a cell is "
              "'1'-'9', or '.' or '0' for an empty one\n",
              where, line, ch, n + 1);
      return -1;
    }
    if (n == 81) {
      fprintf(stderr, "sudoku: %s:%d: more than 81 cells\n", where, line);
      return -1;
    }
    int d = ch == '.' ? 0 : ch - '0';
    if (d && (used(n) & (1 << d))) {
      fprintf(stderr,
              "sudoku: %s: the given %d at row %d, column %d clashes with "
              "another given in its row, column or box\n",
              where, d, n / 9 + 1, n % 9 + 1);
      return -1;
    }
    if (d)
      place(n, d);
    n++;
  }
  if (n != 81) {
    fprintf(stderr, "sudoku: %s: %d cells, expected 81\n", where, n);
    return -1;
  }
  return 0;
}

/* ARG is a file if one by that name exists, else the cells themselves if
 * it looks like cells: 81 characters or more, or nothing but cell
 * characters (parse() then says what is wrong with them). */
static char *read_puzzle(const char *arg, int *is_file) {
  FILE *f = fopen(arg, "r");
  if (!f) {
    if (errno != ENOENT ||
        (strlen(arg) < 81 && arg[strspn(arg, "0123456789. |+-")])) {
      fprintf(stderr, "sudoku: cannot open '%s': %s\n", arg, strerror(errno));
      return NULL;
    }
    *is_file = 0;
    return strdup(arg);
  }
  *is_file = 1;
  static char buf[1 << 16];
  size_t len = fread(buf, 1, sizeof buf - 1, f);
  int too_long = !feof(f);
  fclose(f);
  if (too_long) {
    fprintf(stderr, "sudoku: %s: larger than %zu bytes\n", arg,
            sizeof buf - 1);
    return NULL;
  }
  buf[len] = 0;
  return strdup(buf);
}

int main(int argc, char **argv) {
  const char *puzzle = NULL;
  int first = 0;
  akeso_strategy strategy = AKESO_DFS;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-q"))
      quiet = 1;
    else if (!strcmp(argv[i], "-1"))
      first = 1;
    else if (!strcmp(argv[i], "-bfs"))
      strategy = AKESO_BFS;
    else if (!strcmp(argv[i], "-astar"))
      strategy = AKESO_ASTAR;
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "sudoku: unknown option '%s'\n", argv[i]);
      return 2;
    } else if (puzzle) {
      fprintf(stderr, "sudoku: more than one puzzle ('%s', '%s')\n", puzzle,
              argv[i]);
      return 2;
    } else
      puzzle = argv[i];
  }
  if (!puzzle) {
    fprintf(stderr, "usage: sudoku [-q] [-1] [-bfs|-astar] PUZZLE-FILE|81-CELLS\n");
    return 2;
  }
  int is_file;
  char *text = read_puzzle(puzzle, &is_file);
  if (!text || parse(text, is_file ? puzzle : "argument", is_file) < 0)
    return 2;
  free(text);

  if (akeso_guess_strategy(strategy)) {
    if (strategy == AKESO_ASTAR)
      solve_astar();
    else
      solve_in_order();
    print_grid();
    printf("solution\n");
    if (first) {
      akeso_guess_stop(); /* keep this grid, drop the rest */
      return 0;
    }
    akeso_guess_fail(); /* the next solution */
  }
  printf("done\n");
  return 0;
}
