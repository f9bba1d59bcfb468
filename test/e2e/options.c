// AKESO_OPTIONS: stats at exit, silence, and a clear error for a bad value.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O1 %s -o %t
// RUN: env AKESO_OPTIONS=stats=1 %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env AKESO_OPTIONS=verbosity=0 %t 2>&1 | FileCheck %s --check-prefix=QUIET
// RUN: env AKESO_OPTIONS=verbosity=2 %t 2>&1 | FileCheck %s --check-prefix=VERBOSE
// RUN: env AKESO_OPTIONS=stats=yes %not %t 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: env AKESO_OPTIONS=colour=1 %not %t 2>&1 | FileCheck %s --check-prefix=UNKNOWN
#include <akeso/akeso.h>
#include <stdio.h>

long x;
int handle_request(int fault) {
  x++;
  if (fault)
    akeso_fault("requested");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < 10; i++)
    handle_request(i == 3);
  printf("x=%ld\n", x);
  return 0;
}
// STATS: akeso: fault in domain 'handle_request'
// STATS: x=9
// STATS: akeso: stats: domains begun 10, committed 9, merged into parent 0, rolled back 1
// STATS: akeso: stats: logged writes 10, undo actions run 0, deferred actions run 0
// STATS: akeso: stats: instrumented loads {{[0-9]+}}, stores 10

// QUIET-NOT: akeso:
// QUIET: x=9
// QUIET-NOT: akeso:

// VERBOSE: akeso: begin basic domain 'handle_request' (id {{0x[0-9a-f]+}}, depth 1)
// VERBOSE: akeso: end basic domain 'handle_request' (id {{0x[0-9a-f]+}})

// BAD: akeso: AKESO_OPTIONS: value out of range or not a number in 'stats=yes'
// BAD: stats {{.*}}(0..1)
// BAD-NOT: x=

// UNKNOWN: akeso: AKESO_OPTIONS: unknown option 'colour'

// RUN: env AKESO_OPTIONS=help=1:verbosity=0 %t 2>&1 | FileCheck %s --check-prefix=HELP
// HELP: akeso: AKESO_OPTIONS is a ':'-separated list of name=value; known names:
// HELP: akeso:   verbosity
// HELP: akeso:   help
// HELP: x=9
