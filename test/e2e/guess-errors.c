// Misuse of the guess API is reported and aborts: a guess or a failure
// outside an exploration, a guess with no extension, a nested exploration,
// an unknown strategy, and a failure inside a recovery domain opened by
// the extension; a strategy naming two backends and an unknown
// guess_backend= option.  The pages backend runs instrumented programs
// too, selected by the strategy's bits or by the option.
// RUN: %akeso-cc -Wno-backend-plugin -O2 %s -o %t
// RUN: %not --crash %t guess 2>&1 | FileCheck %s --check-prefix=GUESS
// RUN: %not --crash %t fail 2>&1 | FileCheck %s --check-prefix=FAIL
// RUN: %not --crash %t stop 2>&1 | FileCheck %s --check-prefix=STOP
// RUN: %not --crash %t zero 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: %not --crash %t negative 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: %not --crash %t nested 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: %not --crash %t strategy 2>&1 | FileCheck %s --check-prefix=STRATEGY
// RUN: %not --crash %t domain 2>&1 | FileCheck %s --check-prefix=DOMAIN
// RUN: %t after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: %not --crash %t twobackends 2>&1 | FileCheck %s --check-prefix=TWO
// RUN: %not --crash %t unknownbit 2>&1 | FileCheck %s --check-prefix=UNKNOWNBIT
// RUN: %t pages 2>&1 | FileCheck %s --check-prefix=PAGES
// RUN: env AKESO_OPTIONS=guess_backend=pages %t after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: env AKESO_OPTIONS=guess_backend=pages %not --crash %t zero 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: env AKESO_OPTIONS=guess_backend=forks %not %t after 2>&1 | FileCheck %s --check-prefix=OPTION
// A program built without the akeso pass has nothing in the undo log: the
// undo backend refuses it rather than explore with nothing restored; the
// fork backend (and the page backend) run it.
// RUN: %clang -O2 -I%akeso-include %s %akeso-rt -o %t.plain
// RUN: %not --crash %t.plain after 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: env AKESO_OPTIONS=guess_backend=fork %t.plain after 2>&1 | FileCheck %s --check-prefix=AFTER
// Misuse is caught whichever backend runs the exploration.
// RUN: env AKESO_OPTIONS=guess_backend=fork %not --crash %t zero 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: env AKESO_OPTIONS=guess_backend=fork %not --crash %t nested 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: env AKESO_OPTIONS=guess_backend=fork %not --crash %t fail 2>&1 | FileCheck %s --check-prefix=FAIL
// RUN: env AKESO_OPTIONS=guess_backend=fork %t after 2>&1 | FileCheck %s --check-prefix=AFTER
#include <akeso/akeso.h>
#include <akeso/guess.h>
#include <stdio.h>
#include <string.h>

int n = 3;

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "";
  printf("active=%d\n", akeso_guess_active());
  if (!strcmp(what, "guess"))
    printf("%d\n", akeso_guess(3));
  if (!strcmp(what, "fail"))
    akeso_guess_fail();
  if (!strcmp(what, "stop"))
    akeso_guess_stop();
  if (!strcmp(what, "zero") || !strcmp(what, "negative")) {
    if (akeso_guess_strategy(AKESO_DFS)) {
      printf("%d\n", akeso_guess(what[0] == 'z' ? 0 : -2));
      akeso_guess_fail();
    }
  }
  if (!strcmp(what, "nested")) {
    if (akeso_guess_strategy(AKESO_DFS)) {
      if (akeso_guess_strategy(AKESO_DFS))
        akeso_guess_fail();
      akeso_guess_fail();
    }
  }
  if (!strcmp(what, "strategy") && akeso_guess_strategy((akeso_strategy)7))
    akeso_guess_fail();
  if (!strcmp(what, "domain")) {
    if (akeso_guess_strategy(AKESO_DFS)) {
      akeso_guess(n);
      if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "user") == 0)
        akeso_guess_fail();
    }
  }
  if (!strcmp(what, "unknownbit") && akeso_guess_strategy(AKESO_DFS | (1 << 11)))
    akeso_guess_fail();
  if (!strcmp(what, "twobackends") &&
      akeso_guess_strategy(AKESO_DFS | AKESO_BACKEND_UNDO | AKESO_BACKEND_FORK))
    akeso_guess_fail();
  if (!strcmp(what, "pages")) {
    if (akeso_guess_strategy(AKESO_BFS | AKESO_BACKEND_PAGES)) {
      n = akeso_guess(3) + 10; // undone for every sibling and at the end
      printf("pages extension n=%d\n", n);
      akeso_guess_fail();
    }
    printf("pages done n=%d\n", n);
  }
  if (!strcmp(what, "after")) {
    // An exploration that ended leaves none active: a second one may start.
    for (int round = 0; round < 2; ++round)
      if (akeso_guess_strategy(AKESO_DFS)) {
        printf("round %d active=%d guess=%d\n", round, akeso_guess_active(),
               akeso_guess(n));
        akeso_guess_fail();
      }
    printf("active=%d\n", akeso_guess_active());
  }
  return 0;
}
// GUESS: akeso: akeso_guess(3) at {{.*}}guess-errors.c:{{[0-9]+}} outside an exploration
// FAIL: akeso: akeso_guess_fail() outside an exploration
// STOP: akeso: akeso_guess_stop() outside an exploration
// ZERO: akeso: akeso_guess(0) at {{.*}}: the number of extensions must be positive
// NEGATIVE: akeso: akeso_guess(-2) at {{.*}}: the number of extensions must be positive
// NESTED: akeso: akeso_guess_strategy: an exploration is already running on this thread; nested explorations are not supported
// STRATEGY: akeso: akeso_guess_strategy(0x7): not a strategy
// UNKNOWNBIT: akeso: akeso_guess_strategy(0x800): not a strategy: bits 0x800 are neither a strategy nor an AKESO_BACKEND_*
// TWO: akeso: akeso_guess_strategy(0x300): not a strategy: at most one of AKESO_BACKEND_UNDO, AKESO_BACKEND_FORK and AKESO_BACKEND_PAGES
// PAGES:      pages extension n=10
// PAGES-NEXT: pages extension n=11
// PAGES-NEXT: pages extension n=12
// PAGES-NEXT: pages done n=3
// PLAIN: akeso: akeso_guess_strategy: guess_backend=undo needs a program compiled with akeso-cc
// OPTION: akeso: AKESO_OPTIONS: unknown value in 'guess_backend=forks'
// OPTION: guess_backend {{.*}}(undo|fork|pages)
// DOMAIN: akeso: akeso_guess_fail() inside a recovery domain begun after the innermost guess point
// AFTER:      round 0 active=1 guess=0
// AFTER-NEXT: round 0 active=1 guess=1
// AFTER-NEXT: round 0 active=1 guess=2
// AFTER-NEXT: round 1 active=1 guess=0
// AFTER-NEXT: round 1 active=1 guess=1
// AFTER-NEXT: round 1 active=1 guess=2
// AFTER-NEXT: active=0
