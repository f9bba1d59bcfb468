// The C API without an annotation file: a domain around a region with its
// own landing pad (the paper's Figure 1 shape), undo actions, deferred
// actions and logging a write the compiler cannot see.
// RUN: %akeso-cc -O2 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// Undo actions run after the domain's memory is restored (docs/semantics.md):
// open_handles is back to 0 by then, and the action compensates for what
// memory cannot show (here, counted in closed_handles).
static int open_handles, closed_handles;
static void close_handle(void *h) {
  closed_handles++;
  printf("undo: close handle %ld\n", (long)h);
}
static void release_later(void *what) { printf("deferred: %s\n", (const char *)what); }

static char buffer[32] = "old contents";

static int process(int fail) {
  if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "process") == 0) {
    open_handles++;
    akeso_log_undo(close_handle, (void *)1);
    akeso_defer(release_later, "buffer cache entry");
    // An assembly routine or uninstrumented library would write here.
    akeso_will_write(buffer, sizeof buffer);
    int fds[2];
    if (pipe(fds) == 0) {
      write(fds[1], "new data", 9);
      read(fds[0], buffer, sizeof buffer); // logged by the pass as well
      close(fds[0]);
      close(fds[1]);
    }
    if (fail)
      akeso_fault("process failed");
    akeso_domain_end();
    return 0;
  } else {
    // Landing pad: state is as it was at AKESO_DOMAIN_BEGIN.
    return -1;
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int r = process(1);
  // CHECK: undo: close handle 1
  // CHECK-NOT: deferred:
  // CHECK: fault in domain 'process': process failed
  // CHECK: failed: r=-1 handles=0 closed=1 buffer=old contents depth=0
  printf("failed: r=%d handles=%d closed=%d buffer=%s depth=%u\n", r,
         open_handles, closed_handles, buffer, akeso_domain_depth());
  r = process(0);
  // CHECK: deferred: buffer cache entry
  // CHECK: succeeded: r=0 handles=1 buffer=new data
  printf("succeeded: r=%d handles=%d buffer=%s\n", r, open_handles, buffer);
  return 0;
}
