// Page backend: fcntl inside an extension.  Commands that only read pass;
// F_DUPFD (a descriptor the backtrack would not close), F_SETFL/F_SETFD on
// a descriptor opened before the candidate (the flag would outlive it) and
// file locks (seen by other processes) fail with EPERM and a diagnostic;
// F_SETFL on a descriptor the candidate opened itself passes.  After the
// exploration stdin is still blocking.
// RUN: printf 'data\n' > %t.txt
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t %t.txt < %t.txt 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <akeso/guess.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *what, int r) {
  printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok");
}

int main(int argc, char **argv) {
  (void)argc;
  int old = open(argv[1], O_RDWR); // opened before the exploration
  if (akeso_guess_strategy(AKESO_DFS)) {
    akeso_guess(1);
    show("F_GETFL", fcntl(0, F_GETFL));
    show("F_GETFD", fcntl(old, F_GETFD));
    show("F_DUPFD", fcntl(1, F_DUPFD, 10));
    show("F_DUPFD_CLOEXEC", fcntl(1, F_DUPFD_CLOEXEC, 10));
    show("F_SETFL stdin", fcntl(0, F_SETFL, O_NONBLOCK));
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    show("F_SETLK", fcntl(old, F_SETLK, &lk));
    show("F_OFD_SETLK", fcntl(old, F_OFD_SETLK, &lk));
    int mine = open(argv[1], O_RDONLY);
    show("F_SETFL own", fcntl(mine, F_SETFL, O_NONBLOCK));
    show("F_SETFD own", fcntl(mine, F_SETFD, FD_CLOEXEC));
    fflush(stdout);
    akeso_guess_fail();
  }
  printf("stdin nonblocking after: %d\n", (fcntl(0, F_GETFL) & O_NONBLOCK) != 0);
  return 0;
}
// CHECK: akeso pages: fcntl F_DUPFD (a new descriptor) inside an extension
// CHECK: akeso pages: fcntl F_DUPFD_CLOEXEC (a new descriptor) inside an extension
// CHECK: akeso pages: fcntl F_SETFL on a descriptor opened before this candidate (the flag would outlive it) inside an extension
// CHECK: akeso pages: fcntl F_SETLK (a lock other processes see) inside an extension
// CHECK: akeso pages: fcntl F_OFD_SETLK (a lock other processes see) inside an extension
// CHECK: F_GETFL: ok
// CHECK-NEXT: F_GETFD: ok
// CHECK-NEXT: F_DUPFD: Operation not permitted
// CHECK-NEXT: F_DUPFD_CLOEXEC: Operation not permitted
// CHECK-NEXT: F_SETFL stdin: Operation not permitted
// CHECK-NEXT: F_SETLK: Operation not permitted
// CHECK-NEXT: F_OFD_SETLK: Operation not permitted
// CHECK-NEXT: F_SETFL own: ok
// CHECK-NEXT: F_SETFD own: ok
// CHECK: stdin nonblocking after: 0
