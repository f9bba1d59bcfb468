// Page backend: only the process itself may be signalled inside an
// extension.  kill(0, ...) (the whole process group) and kill(-pgrp, ...)
// fail with EPERM and a diagnostic; kill(getpid(), 0) passes.
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 2>&1 | FileCheck %s
#include <akeso/guess.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *what, int r) {
  printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok");
}

int main(void) {
  if (akeso_guess_strategy(AKESO_DFS)) {
    akeso_guess(1);
    show("kill self", kill(getpid(), 0));
    show("kill group 0", kill(0, 0));
    show("kill -pgrp", kill(-getpgrp(), 0));
    fflush(stdout);
    akeso_guess_fail();
  }
  return 0;
}
// CHECK: akeso pages: kill (a signal to another process or a process group) inside an extension
// CHECK: akeso pages: kill (a signal to another process or a process group) inside an extension
// CHECK: kill self: ok
// CHECK-NEXT: kill group 0: Operation not permitted
// CHECK-NEXT: kill -pgrp: Operation not permitted
