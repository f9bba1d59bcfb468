// Hardware faults and assertions inside a logged domain are recovery
// events (issue #4): SIGSEGV, SIGFPE, SIGILL (__builtin_trap), a failed
// assert() and abort() each roll the request back and it returns its error
// value; the same ones outside any domain, or inside an unlogged domain,
// kill the process as they would without akeso.
// RUN: %akeso-cc -g -Wno-backend-plugin --akeso-annotations=%S/Inputs/triggers.yaml -O1 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: %not --crash %t outside 2>&1 | FileCheck %s --check-prefix=OUTSIDE
// RUN: %not --crash %t unlogged 2>&1 | FileCheck %s --check-prefix=UNLOGGED
// RUN: env AKESO_OPTIONS=on_fault=abort %not --crash %t 2>&1 | FileCheck %s --check-prefix=POLICY
#include <akeso/akeso.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long total;

int handle_request(int how) {
  total += 10;
  if (how == 1) {
    volatile int *p = (int *)16;
    *p = 1;
  }
  if (how == 2) {
    volatile int zero = 0;
    volatile int x = 5 / zero;
    (void)x;
  }
  if (how == 3)
    assert(how != 3 && "request 3 is invalid");
  if (how == 4)
    abort();
  if (how == 5)
    __builtin_trap();
  if (how == 6) {
    volatile long *null = 0;
    *null = 7;
  }
  return 0;
}

void device_write(int *reg) { *reg = 1; }

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && !strcmp(argv[1], "outside")) {
    // OUTSIDE: Segmentation fault outside
    printf("Segmentation fault outside\n");
    volatile int *p = (int *)16;
    *p = 1;
  }
  if (argc > 1 && !strcmp(argv[1], "unlogged")) {
    // UNLOGGED: akeso: SIGSEGV accessing 0x10 {{.*}} inside the runtime or an unlogged domain; not recoverable
    device_write((int *)16);
  }
  // CHECK: akeso: fault in domain 'handle_request' ({{.*}}signals.c:{{[0-9]+}}): SIGSEGV accessing 0x10 (pc {{.*}}); rolled back
  // CHECK: request 1: r=-1 total=0
  // CHECK: akeso: fault in domain 'handle_request' {{.*}}: SIGFPE (pc {{.*}}); rolled back
  // CHECK: request 2: r=-1 total=0
  // CHECK: akeso: fault in domain 'handle_request' {{.*}}: assertion 'how != 3 && "request 3 is invalid"' failed at {{.*}}signals.c:{{[0-9]+}} in {{.*}}handle_request{{.*}}; rolled back
  // CHECK: request 3: r=-1 total=0
  // CHECK: akeso: fault in domain 'handle_request' {{.*}}: abort() called; rolled back
  // CHECK: request 4: r=-1 total=0
  // CHECK: akeso: fault in domain 'handle_request' {{.*}}: SIGILL (pc {{.*}}); rolled back
  // CHECK: request 5: r=-1 total=0
  // CHECK: akeso: fault in domain 'handle_request' {{.*}}: SIGSEGV accessing (nil) {{.*}}; rolled back
  // CHECK: request 6: r=-1 total=0
  // CHECK: request 0: r=0 total=10
  // POLICY: akeso: fault in domain 'handle_request' {{.*}}: SIGSEGV accessing 0x10 {{.*}}; aborting (AKESO_OPTIONS=on_fault=abort)
  for (int how = 1; how <= 6; how++) {
    int r = handle_request(how);
    printf("request %d: r=%d total=%ld\n", how, r, total);
  }
  int r = handle_request(0);
  printf("request 0: r=%d total=%ld\n", r, total);
  return 0;
}
