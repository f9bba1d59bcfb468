// Page backend: interception never pauses across the return of a program's
// signal handler.  A periodic SIGALRM (armed before the exploration) runs a
// handler that returns inside the extension; a socket() made after it
// still fails with EPERM and the diagnostic (docs/host.md: rt_sigreturn is
// emulated in the SIGSYS handler).
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=uffd %t 2>&1 | FileCheck %s
#include <akeso/guess.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static volatile int ticks;
static void on_alarm(int s) { (void)s; ticks++; }

int main(void) {
  signal(SIGALRM, on_alarm);
  struct itimerval every = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &every, 0);
  if (akeso_guess_strategy(AKESO_DFS)) {
    int g = akeso_guess(2);
    int seen = ticks;
    while (ticks < seen + 3)
      ; // handlers run and return inside the extension
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("extension %d: socket after a handler returned: %s\n", g,
           s < 0 ? strerror(errno) : "created (escaped)");
    fflush(stdout);
    akeso_guess_fail();
  }
  setitimer(ITIMER_REAL, &off, 0);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  printf("socket after: %s\n", s >= 0 ? "ok" : strerror(errno));
  return 0;
}
// CHECK: akeso pages: socket inside an extension
// CHECK: extension 0: socket after a handler returned: Operation not permitted
// CHECK: akeso pages: socket inside an extension
// CHECK: extension 1: socket after a handler returned: Operation not permitted
// CHECK: socket after: ok
