// Fault injection end to end (issue #4): compiled with -mllvm -akeso-inject,
// a program injects a fault every P + rand(0..P) blocks of logged code;
// each injected fault is reported and recovered; the same seed gives the
// same injection points (the fault log is identical run to run) and a
// different seed different ones; without inject=1 nothing is injected and
// the sites cost nothing but their check; the corrupt kind flips bits
// silently (no rollback); stats=1 reports the coverage of logged code.
// RUN: %akeso-cc -g -mllvm -akeso-inject -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O1 %s -o %t
// RUN: env AKESO_OPTIONS=inject=1:inject_period=500:inject_seed=7:stats=1 %t > %t.out1 2>&1
// RUN: env AKESO_OPTIONS=inject=1:inject_period=500:inject_seed=7:stats=1 %t > %t.out2 2>&1
// RUN: env AKESO_OPTIONS=inject=1:inject_period=500:inject_seed=8 %t > %t.out3 2>&1
// RUN: FileCheck %s < %t.out1
// RUN: grep 'akeso: inject' %t.out1 > %t.log1
// RUN: grep 'akeso: inject' %t.out2 > %t.log2
// RUN: grep 'akeso: inject' %t.out3 > %t.log3
// RUN: diff %t.log1 %t.log2
// RUN: %not diff %t.log1 %t.log3
// RUN: env AKESO_OPTIONS=stats=1 %t 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: env AKESO_OPTIONS=inject=1:inject_period=500:inject_kind=corrupt %t 2>&1 | FileCheck %s --check-prefix=CORRUPT
// CHECK: akeso: inject #1: detected fault at {{.*}}worker_request{{.*}} block {{[0-9]+}} ({{.*}}inject.c:{{[0-9]+}}) after {{[0-9]+}} blocks (seed 7, thread 0)
// CHECK-NEXT: akeso: fault in domain 'worker_request' {{.*}}: injected fault at {{.*}}inject.c:{{[0-9]+}}{{.*}}; rolled back
// CHECK: done: {{[0-9]+}} requests succeeded, {{[1-9][0-9]*}} failed, state consistent
// CHECK: akeso: stats: coverage: in logged domains {{[0-9]+}} loads ({{[0-9.]+}}%), {{[0-9]+}} stores
// CHECK: akeso: stats: faults injected {{[1-9][0-9]*}}
// OFF-NOT: akeso: inject
// OFF: done: 200 requests succeeded, 0 failed, state consistent
// OFF-NOT: faults injected
// CORRUPT: akeso: inject #1: corrupt fault at {{.*}} (seed 1, thread 0): flipped bit {{[0-9]+}} of the word at 0x
// CORRUPT-NOT: rolled back
// CORRUPT: done: 200 requests succeeded, 0 failed
#include <akeso/akeso.h>
#include <stdio.h>

#define SLOTS 64
static long table[SLOTS];
static long sums[SLOTS];

// Adds x to every slot, keeping sums[] equal to the running total per slot.
int worker_request(long x) {
  for (int i = 0; i < SLOTS; i++) {
    table[i] += x;
    sums[i] += x;
  }
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int ok = 0, failed = 0;
  for (long r = 1; r <= 200; r++) {
    if (worker_request(r) == 0)
      ok++;
    else
      failed++;
  }
  int consistent = 1;
  for (int i = 0; i < SLOTS; i++)
    consistent &= table[i] == sums[i];
  printf("done: %d requests succeeded, %d failed, state %s\n", ok, failed,
         consistent ? "consistent" : "INCONSISTENT");
  return 0;
}
