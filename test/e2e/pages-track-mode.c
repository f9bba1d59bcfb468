// A misspelt pages_track value stops the program with what it accepts.
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_OPTIONS=guess_backend=pages:pages_track=cmp %not %t 2>&1 | FileCheck %s
// CHECK: AKESO_OPTIONS: unknown value in 'pages_track=cmp'
// CHECK: pages_track {{.*}}(compare|uffd)
#include <akeso/guess.h>
int main(void) {
  if (akeso_guess_strategy(AKESO_DFS))
    akeso_guess_fail();
  return 0;
}
