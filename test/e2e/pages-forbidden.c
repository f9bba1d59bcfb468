// Page backend: system calls that would let state escape a candidate
// (a socket, a new process, a signal to another process, a write to a
// descriptor that is not stdout/stderr or a contained file) fail inside an
// extension with EPERM and a diagnostic naming the call; the same calls
// work again after the exploration.
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages %t 2>&1 | FileCheck %s
#include <akeso/guess.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  int devnull = dup(1); // a descriptor opened before the exploration
  if (akeso_guess_strategy(AKESO_DFS)) {
    int g = akeso_guess(2);
    if (g == 0) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      printf("socket: %d %s\n", s, s < 0 ? strerror(errno) : "");
      pid_t p = fork();
      printf("fork: %d %s\n", (int)p, p < 0 ? strerror(errno) : "");
      int k = kill(getppid(), 0);
      printf("kill: %d %s\n", k, k < 0 ? strerror(errno) : "");
    } else {
      ssize_t w = write(devnull, "x", 1);
      printf("write: %zd %s\n", w, w < 0 ? strerror(errno) : "");
    }
    fflush(stdout);
    akeso_guess_fail();
  }
  int s = socket(AF_INET, SOCK_STREAM, 0);
  printf("socket after: %s\n", s >= 0 ? "ok" : strerror(errno));
  return 0;
}
// (stdout is flushed at akeso_guess_fail, the diagnostics are immediate)
// CHECK: akeso pages: socket inside an extension (at 0x{{[0-9a-f]+}}) would let state escape the candidate; it fails with EPERM
// CHECK: akeso pages: clone (fork or a new thread) inside an extension
// CHECK: akeso pages: kill (a signal to another process or a process group) inside an extension
// CHECK: socket: -1 Operation not permitted
// CHECK: fork: -1 Operation not permitted
// CHECK: kill: -1 Operation not permitted
// CHECK: akeso pages: write (to a descriptor other than stdout/stderr or a contained file) inside an extension
// CHECK: write: -1 Operation not permitted
// CHECK: socket after: ok
