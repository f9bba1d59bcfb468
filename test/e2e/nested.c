// Nested basic domains: a fault rolls back the innermost domain only; a
// completed child merges into its parent, whose later fault undoes both.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>

long a, b, c;

int child(int fault) {
  b += 10;
  if (fault) akeso_fault("child fault");
  return 0;
}

int parent(int child_fault, int parent_fault) {
  a += 1;
  int r = child(child_fault);
  c = r;  // the parent sees the child's error value and carries on
  if (parent_fault) akeso_fault("parent fault");
  return r;
}

// Recursion: every level is a domain; the deepest one faults.
int recurse(int depth) {
  a += 1;
  if (depth == 0) akeso_fault("bottom");
  int r = recurse(depth - 1);
  return r == -1 ? depth : r;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int r = parent(1, 0);
  // CHECK: fault in domain 'child'{{.*}}child fault
  // CHECK: child faulted: r=-20 a=1 b=0 c=-20
  printf("child faulted: r=%d a=%ld b=%ld c=%ld\n", r, a, b, c);

  r = parent(0, 1);
  // CHECK: fault in domain 'parent'{{.*}}parent fault
  // CHECK: parent faulted: r=-10 a=1 b=0 c=-20
  printf("parent faulted: r=%d a=%ld b=%ld c=%ld\n", r, a, b, c);

  r = parent(0, 0);
  // CHECK: both committed: r=0 a=2 b=10 c=0
  printf("both committed: r=%d a=%ld b=%ld c=%ld\n", r, a, b, c);

  a = 0;
  r = recurse(50);
  // Only the innermost level rolled back; the 50 above it committed.
  // CHECK: fault in domain 'recurse'{{.*}}bottom
  // CHECK: recursion: r=1 a=50 depth=0
  printf("recursion: r=%d a=%ld depth=%u\n", r, a, akeso_domain_depth());
  return 0;
}
