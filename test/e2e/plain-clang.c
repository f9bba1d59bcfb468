// Plain clang with -fpass-plugin: the annotation file comes from the
// environment and the runtime library is linked by hand (docs/usage.md).
// RUN: env AKESO_ANNOTATIONS=%S/Inputs/requests.yaml %clang -Wno-backend-plugin -fpass-plugin=%plugin -I%akeso-include -O2 -c %s -o %t.o
// RUN: %clang %t.o %akeso-rt -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>

int value = 1;

int handle_request(int v) {
  value = v;
  if (v < 0)
    akeso_fault("negative");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  handle_request(5);
  int r = handle_request(-3);
  // CHECK: fault in domain 'handle_request'
  // CHECK: r=-1 value=5
  printf("r=%d value=%d\n", r, value);
  return 0;
}
