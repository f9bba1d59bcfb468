// A fault outside any recoverable domain is reported with its reason and
// source location, then the program aborts: never a silent continue.
// RUN: %akeso-cc -O1 %s -o %t
// RUN: %not --crash %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>

static void check_config(int ok) {
  if (!ok)
    akeso_fault("configuration is corrupt");
}

int main(void) {
  printf("starting\n");
  check_config(0);
  printf("not reached\n");
  return 0;
}
// CHECK: starting
// CHECK: akeso: fault outside any recoverable domain: configuration is corrupt at {{.*}}fault-outside.c:10 in check_config; aborting
// CHECK-NOT: not reached
