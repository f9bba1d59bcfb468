// A misspelt AKESO_PAGES_TRACK stops the program with what it accepts.
// RUN: gcc -O2 -I%S/../../include %s %akeso-rt -o %t
// RUN: env AKESO_GUESS_BACKEND=pages AKESO_PAGES_TRACK=cmp %not --crash %t 2>&1 | FileCheck %s
// CHECK: AKESO_PAGES_TRACK=cmp: expected compare (shadow copies, the default) or uffd (userfaultfd write-protect)
#include <akeso/guess.h>
int main(void) {
  if (akeso_guess_strategy(AKESO_DFS))
    akeso_guess_fail();
  return 0;
}
