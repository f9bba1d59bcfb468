// Page backend: a signal handler of the program runs and returns inside an
// extension (its return, rt_sigreturn, is a system call the dispatch
// traps: the SIGSYS handler emulates it, docs/host.md), and its write to a
// global is undone with the extension.
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t | FileCheck %s
// CHECK: extension 0: handler ran 1 time(s)
// CHECK: extension 1: handler ran 1 time(s)
// CHECK: after: 0
#include <akeso/guess.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static volatile int hits;
static void on_usr1(int s) { (void)s; hits++; }
int main(void) {
  signal(SIGUSR1, on_usr1);
  if (akeso_guess_strategy(AKESO_DFS)) {
    int g = akeso_guess(2);
    raise(SIGUSR1);
    printf("extension %d: handler ran %d time(s)\n", g, hits);
    akeso_guess_fail();
  }
  printf("after: %d\n", hits);
  return 0;
}
