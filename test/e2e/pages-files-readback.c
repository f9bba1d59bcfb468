// Page backend: a candidate reads back what it wrote.  After fopen "w",
// fputs and fclose, a later fopen "r" (and stat, access) of the same path
// sees the candidate's copy, not the disk; a file the candidate creates is
// visible to it and invisible to its sibling; after the exploration the
// disk is untouched.
// RUN: rm -f %t.new && printf 'disk\n' > %t.txt
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t %t.txt %t.new 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=DISK < %t.txt
// RUN: not test -e %t.new
#include <akeso/guess.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void readBack(int g, const char *what, const char *path) {
  char buf[64] = "";
  FILE *f = fopen(path, "r");
  if (f) {
    if (!fgets(buf, sizeof buf, f))
      buf[0] = 0;
    fclose(f);
    buf[strcspn(buf, "\n")] = 0;
  }
  struct stat st;
  int s = stat(path, &st);
  printf("%d: %s: open %s, reads '%s', stat %s size %ld, access %d\n", g,
         what, f ? "ok" : strerror(errno), buf, s ? "fails" : "ok",
         s ? -1L : (long)st.st_size, access(path, F_OK));
}

int main(int argc, char **argv) {
  (void)argc;
  const char *path = argv[1], *fresh = argv[2];
  if (akeso_guess_strategy(AKESO_DFS)) {
    int g = akeso_guess(2);
    if (g == 0) {
      FILE *f = fopen(path, "w");
      fputs("written by 0, longer\n", f);
      fclose(f);
      f = fopen(fresh, "w");
      fputs("new file\n", f);
      fclose(f);
    }
    readBack(g, "old", path);
    readBack(g, "new", fresh);
    fflush(stdout);
    akeso_guess_fail();
  }
  readBack(9, "old", path);
  return 0;
}
// CHECK: 0: old: open ok, reads 'written by 0, longer', stat ok size 21, access 0
// CHECK-NEXT: 0: new: open ok, reads 'new file', stat ok size 9, access 0
// CHECK-NEXT: 1: old: open ok, reads 'disk', stat ok size 5, access 0
// CHECK-NEXT: 1: new: open No such file or directory, reads '', stat fails size -1, access -1
// CHECK-NEXT: 9: old: open ok, reads 'disk', stat ok size 5, access 0
// DISK: disk
