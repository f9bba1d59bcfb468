// Page backend diagnostics: refused calls are named (not "system call N"),
// harmless queries (getpgrp, getpgid, getsid) pass, flock passes on a file
// the candidate holds a private copy of and is refused on a shared file,
// and a write-open relative to a directory descriptor says so.
// RUN: printf 'x\n' > %t.txt
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t %t.txt 2>&1 | FileCheck %s --implicit-check-not="system call"
#include <akeso/guess.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static void show(const char *what, long r) {
  printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv) {
  (void)argc;
  int shared = open(argv[1], O_RDONLY);
  int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
  if (akeso_guess_strategy(AKESO_DFS)) {
    akeso_guess(1);
    show("getpgrp", getpgrp());
    show("getpgid", getpgid(0));
    show("getsid", getsid(0));
    show("setsid", setsid());
    show("flock shared", flock(shared, LOCK_EX));
    int copy = open(argv[1], O_WRONLY | O_APPEND);
    show("flock copy", flock(copy, LOCK_EX));
    show("openat dirfd", openat(dir, "y", O_WRONLY | O_CREAT, 0644));
    show("chdir", chdir("/"));
    fflush(stdout);
    akeso_guess_fail();
  }
  return 0;
}
// CHECK: akeso pages: setsid inside an extension
// CHECK: akeso pages: flock (a lock on a file other processes share) inside an extension
// CHECK: akeso pages: openat for writing relative to a directory descriptor (unsupported: use an absolute path or one relative to the working directory) inside an extension
// CHECK: akeso pages: chdir inside an extension
// CHECK: getpgrp: ok
// CHECK-NEXT: getpgid: ok
// CHECK-NEXT: getsid: ok
// CHECK-NEXT: setsid: Operation not permitted
// CHECK-NEXT: flock shared: Operation not permitted
// CHECK-NEXT: flock copy: ok
// CHECK-NEXT: openat dirfd: Operation not permitted
// CHECK-NEXT: chdir: Operation not permitted
