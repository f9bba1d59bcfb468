// The output-commit limit (docs/semantics.md, Output): a domain that wrote
// to a file descriptor and is then rolled back has its memory restored but
// not its output; the runtime says so, naming the domain, the call and the
// descriptor.  A domain that rolls back without output is not reported.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

long served;

int handle_request(int fd) {
  served++;
  if (fd >= 0)
    send(fd, "partial reply\n", 14, 0);
  akeso_fault("failed after replying");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
    return 1;
  // CHECK: akeso: domain 'handle_request' performed output (send on fd [[FD:[0-9]+]]) before it was rolled back: its memory is restored, the output is not undone
  // CHECK: akeso: fault in domain 'handle_request': failed after replying
  int r = handle_request(pair[0]);
  char buf[32] = "";
  ssize_t n = read(pair[1], buf, sizeof buf - 1);
  // CHECK: r=-1 served=0 peer got 14 bytes
  printf("r=%d served=%ld peer got %zd bytes\n", r, served, n);
  // CHECK-NOT: performed output
  // CHECK: akeso: fault in domain 'handle_request': failed after replying
  r = handle_request(-1);
  // CHECK: r=-1 served=0
  printf("r=%d served=%ld\n", r, served);
  return 0;
}
