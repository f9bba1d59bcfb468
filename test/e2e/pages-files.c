// Page backend, plain gcc: a regular file written inside extensions is
// contained per candidate.  Each sibling appends its line to the file as
// it was at the guess point; the parent's write (made before the guess
// point, inside the exploration) is seen by every child; after the
// exploration the file is untouched.  A second open of the file inside a
// candidate opens that candidate's copy.  With akeso_guess_stop the kept
// candidate's content is written to the file.
// RUN: rm -f %t.txt && printf 'base\n' > %t.txt
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t %t.txt 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t %t.txt 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages %t %t.txt stop 2>&1 | FileCheck %s --check-prefix=STOP
// RUN: FileCheck %s --check-prefix=KEPT < %t.txt
#include <akeso/guess.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *who, int fd) {
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  buf[n < 0 ? 0 : n] = 0;
  for (char *p = buf; *p; p++)
    if (*p == '\n')
      *p = '|';
  printf("%s sees: %s\n", who, buf);
}

int main(int argc, char **argv) {
  const char *path = argv[1];
  int stop = argc > 2 && !strcmp(argv[2], "stop");
  if (akeso_guess_strategy(AKESO_DFS)) {
    int fd = open(path, O_WRONLY | O_APPEND);
    write(fd, "parent\n", 7);
    int g = akeso_guess(3);
    char line[32];
    int n = snprintf(line, sizeof line, "child %d\n", g);
    write(fd, line, n);
    int rd = open(path, O_RDWR); // a second descriptor: it opens the
    // candidate's copy (the candidate reads back what it wrote).
    show("reader", rd);
    show("writer", fd);
    if (stop && g == 1) {
      akeso_guess_stop();
      close(fd);
      printf("kept child 1\n");
      return 0;
    }
    akeso_guess_fail();
  }
  int fd = open(path, O_RDONLY);
  show("after", fd);
  return 0;
}
// CHECK: reader sees: base|parent|child 0|{{$}}
// CHECK: writer sees: base|parent|child 0|{{$}}
// CHECK: reader sees: base|parent|child 1|{{$}}
// CHECK: writer sees: base|parent|child 1|{{$}}
// CHECK: reader sees: base|parent|child 2|{{$}}
// CHECK: writer sees: base|parent|child 2|{{$}}
// CHECK: after sees: base|{{$}}
// STOP: writer sees: base|parent|child 0|
// STOP: writer sees: base|parent|child 1|
// STOP: kept child 1
// STOP-NOT: child 2
// KEPT:      base
// KEPT-NEXT: parent
// KEPT-NEXT: child 1
// KEPT-EMPTY:
