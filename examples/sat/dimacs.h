/* dimacs.h - a DIMACS CNF reader shared by examples/sat/dpll.c and its
 * hand-coded twin bench/guess/dpll_hand.c (so both solve exactly the same
 * formula).  Header-only: one includer per program.
 *
 * Accepted input: comment lines starting with 'c' anywhere, blank lines,
 * one problem line "p cnf VARIABLES CLAUSES" before the first clause, then
 * clauses as whitespace-separated non-zero literals each ended by 0 (a
 * clause may span lines, a line may hold several clauses).  A line "%"
 * ends the formula (the SATLIB benchmark files end with "%" and "0").
 * Everything else is an error naming the line and what was expected.
 */
#ifndef AKESO_EXAMPLES_DIMACS_H
#define AKESO_EXAMPLES_DIMACS_H

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cnf {
  int nvars, nclauses;
  int *start; /* clause k is lits[start[k] .. start[k + 1]) */
  int *lits;  /* literals: +v or -v, v in 1..nvars */
};

/* Reads FILE (NAME for messages) into *F.  On error prints
 * "NAME:LINE: ..." to stderr and returns -1. */
static int cnf_read(FILE *in, const char *name, struct cnf *f) {
  char line[1 << 16];
  int lineno = 0, have_header = 0, clauses = 0, open = 0, open_line = 0;
  size_t nlits = 0, cap = 0;
  memset(f, 0, sizeof *f);
  while (fgets(line, sizeof line, in)) {
    lineno++;
    if (!strchr(line, '\n') && !feof(in)) {
      fprintf(stderr, "%s:%d: line longer than %zu characters\n", name,
              lineno, sizeof line - 2);
      return -1;
    }
    char *p = line;
    while (isspace((unsigned char)*p))
      p++;
    if (*p == 'c' || *p == 0)
      continue;
    if (*p == '%')
      break;
    if (*p == 'p') {
      char fmt[8], extra[2];
      long v, c;
      if (have_header) {
        fprintf(stderr, "%s:%d: a second problem line\n", name, lineno);
        return -1;
      }
      if (sscanf(p, "p %7s %ld %ld %1s", fmt, &v, &c, extra) != 3 ||
          strcmp(fmt, "cnf") || v < 0 || c < 0 || v >= INT_MAX ||
          c >= INT_MAX) {
        fprintf(stderr,
                "%s:%d: malformed problem line: expected 'p cnf VARIABLES "
                "CLAUSES' with two non-negative numbers\n",
                name, lineno);
        return -1;
      }
      have_header = 1;
      f->nvars = (int)v;
      f->nclauses = (int)c;
      f->start = calloc((size_t)c + 1, sizeof(int));
      if (!f->start) {
        fprintf(stderr, "%s: out of memory for %ld clauses\n", name, c);
        return -1;
      }
      continue;
    }
    if (!have_header) {
      fprintf(stderr,
              "%s:%d: expected the problem line 'p cnf VARIABLES CLAUSES' "
              "(or a comment line starting with 'c') before the clauses\n",
              name, lineno);
      return -1;
    }
    for (;;) {
      while (isspace((unsigned char)*p))
        p++;
      if (!*p)
        break;
      char *end;
      errno = 0;
      long lit = strtol(p, &end, 10);
      if (end == p || (*end && !isspace((unsigned char)*end)) || errno) {
        int len = 0;
        while (p[len] && !isspace((unsigned char)p[len]))
          len++;
        fprintf(stderr,
                "%s:%d: expected a literal (a non-zero integer) or 0 ending "
                "the clause, found '%.*s'\n",
                name, lineno, len, p);
        return -1;
      }
      p = end;
      if (lit == 0) {
        if (clauses == f->nclauses) {
          fprintf(stderr,
                  "%s:%d: more clauses than the %d of the problem line\n",
                  name, lineno, f->nclauses);
          return -1;
        }
        f->start[++clauses] = (int)nlits;
        open = 0;
        continue;
      }
      if (lit > f->nvars || -lit > f->nvars) {
        fprintf(stderr,
                "%s:%d: literal %ld names variable %ld, but the problem line "
                "declares %d variables\n",
                name, lineno, lit, labs(lit), f->nvars);
        return -1;
      }
      if (nlits == cap) {
        cap = cap ? 2 * cap : 1024;
        f->lits = realloc(f->lits, cap * sizeof(int));
        if (!f->lits) {
          fprintf(stderr, "%s: out of memory for %zu literals\n", name, cap);
          return -1;
        }
      }
      f->lits[nlits++] = (int)lit;
      if (!open)
        open_line = lineno;
      open = 1;
    }
  }
  if (ferror(in)) {
    fprintf(stderr, "%s: read error: %s\n", name, strerror(errno));
    return -1;
  }
  if (!have_header) {
    fprintf(stderr, "%s: no problem line 'p cnf VARIABLES CLAUSES'\n", name);
    return -1;
  }
  if (open) {
    fprintf(stderr,
            "%s:%d: the clause that starts on this line is not ended by 0\n",
            name, open_line);
    return -1;
  }
  if (clauses != f->nclauses) {
    fprintf(stderr, "%s: %d clauses, but the problem line declares %d\n",
            name, clauses, f->nclauses);
    return -1;
  }
  return 0;
}

/* Prints MODEL (model[v] > 0: v true) as SAT-competition "v" lines. */
static void cnf_print_model(const signed char *model, int nvars) {
  char buf[32];
  int col = 0;
  for (int v = 1; v <= nvars + 1; v++) {
    int len = v <= nvars ? snprintf(buf, sizeof buf, " %d", model[v] > 0 ? v : -v)
                         : snprintf(buf, sizeof buf, " 0");
    if (col && col + len > 78) {
      putchar('\n');
      col = 0;
    }
    if (!col)
      col = printf("v");
    col += printf("%s", buf);
  }
  putchar('\n');
}

#endif
