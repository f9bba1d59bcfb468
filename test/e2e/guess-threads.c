// The undo backend's failure path (runtime/local_rollback.cpp): the
// extension allocates (undo actions release it), opens and ends a nested
// basic domain (merged into the guess point's) and frees memory (the free
// is cancelled).  Alone, every failure is rolled back on this thread (no
// world stop).  With a second thread alive, failures check that no other
// domain wrote the extension's words, and fall back to the engine's
// rollback when the domain is flagged as having dependents (reads by the
// nested domains flag the guess points' domains): same answers.
// RUN: %akeso-cc -Wno-backend-plugin -O2 -pthread %s -o %t
// RUN: env AKESO_OPTIONS=stats=1 %t 2>&1 | FileCheck %s
// RUN: env AKESO_OPTIONS=stats=1 %t alone 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ALONE --input-file=%t.err
#include <akeso/akeso.h>
#include <akeso/guess.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 6
int row[N], ld[2 * N], rd[2 * N];
long other_counter;
long *cell;
long *sinks[N];
pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
int started, done;

// Registered with the runtime (it writes instrumented memory), then idle.
void *other(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  other_counter = 1;
  started = 1;
  pthread_cond_broadcast(&cond);
  while (!done)
    pthread_cond_wait(&cond, &lock);
  pthread_mutex_unlock(&lock);
  return NULL;
}

__attribute__((noinline)) void place(int r, int c) {
  AKESO_DOMAIN_BEGIN(AKESO_BASIC, "place");
  row[r] = 1;
  ld[r + c] = 1;
  rd[N + r - c] = 1;
  akeso_domain_end();
}

int main(int argc, char **argv) {
  pthread_t t;
  if (argc < 2) {
    pthread_create(&t, NULL, other, NULL);
    pthread_mutex_lock(&lock);
    while (!started)
      pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
  }
  cell = malloc(sizeof *cell);
  *cell = 5;
  if (akeso_guess_strategy(AKESO_DFS)) {
    for (int c = 0; c < N; c++) {
      int r = akeso_guess(N);
      if (row[r] || ld[r + c] || rd[N + r - c])
        akeso_guess_fail();
      place(r, c);
      sinks[c] = malloc(64); // released with the extension
      *sinks[c] = r;
    }
    free(cell); // cancelled with the extension
    cell = NULL;
    printf("solution\n");
    akeso_guess_fail();
  }
  printf("done cell=%ld\n", *cell);
  if (argc < 2) {
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(t, NULL);
  }
  return 0;
}
// ALONE: undo actions run {{[1-9][0-9]*}},
// ALONE: world stops 0{{$}}
// CHECK-COUNT-4: {{^}}solution{{$}}
// CHECK-NOT: solution
// CHECK: done cell=5
