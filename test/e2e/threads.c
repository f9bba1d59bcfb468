// Four threads run their own domains at once; each faults its own requests
// and only those are rolled back; the others' state is untouched.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 -pthread %s -o %t
// RUN: env AKESO_OPTIONS=verbosity=0:stats=1 %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define REQUESTS 20000

struct shard {
  long balance;
  long history[64];
  long applied;
  char pad[64];
};
struct shard shards[THREADS];
long committed[THREADS]; // what the test expects, kept outside any domain
long faults[THREADS];

// Each request updates the thread's own shard in several places and faults
// in the middle when its amount is a multiple of 7.
int worker_request(struct shard *s, long amount) {
  s->balance += amount;
  s->history[s->applied % 64] = amount;
  if (amount % 7 == 0)
    akeso_fault("amount divisible by 7");
  s->applied++;
  return 0;
}

static void *worker(void *arg) {
  long id = (long)arg;
  unsigned seed = (unsigned)id * 2654435761u;
  for (int i = 0; i < REQUESTS; i++) {
    long amount = rand_r(&seed) % 1000;
    long before = shards[id].history[shards[id].applied % 64];
    if (worker_request(&shards[id], amount) == 0) {
      committed[id] += amount;
    } else {
      faults[id]++;
      if (shards[id].history[shards[id].applied % 64] != before)
        printf("thread %ld: history not restored\n", id);
    }
  }
  return NULL;
}

int main(void) {
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, worker, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  int ok = 1;
  long total_faults = 0;
  for (int i = 0; i < THREADS; i++) {
    total_faults += faults[i];
    if (shards[i].balance != committed[i] ||
        shards[i].applied + faults[i] != REQUESTS || faults[i] == 0) {
      printf("thread %d: balance %ld expected %ld applied %ld faults %ld\n", i,
             shards[i].balance, committed[i], shards[i].applied, faults[i]);
      ok = 0;
    }
  }
  printf("%s: %d threads, %d requests each, %ld rolled back\n",
         ok ? "consistent" : "INCONSISTENT", THREADS, REQUESTS, total_faults);
  fflush(stdout);
  return !ok;
}
// CHECK-NOT: not restored
// CHECK: consistent: 4 threads, 20000 requests each, [[N:[0-9]+]] rolled back
// CHECK: akeso: stats: domains begun 80000, committed {{[0-9]+}}, merged into parent 0, rolled back [[N]]
