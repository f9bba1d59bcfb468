// The four domain kinds in one daemon-like program, on several threads:
// requests (basic) allocate from a shared pool (reversible, inverse
// pool_free), count themselves (unlogged counter with its inverse: the
// paper's counter conversion), touch an LRU clock (transparent), and free
// the object they replace (a call of an inverse: deferred until commit).
// Some requests fault after all of that.  The shared pool, counter and clock
// must not make requests dependent on each other: no request is rolled back
// because of another one, the pool holds exactly the objects the table
// references, and the counter counts exactly the requests that succeeded.
//
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/kinds.yaml -O2 -pthread %s -o %t
// RUN: env AKESO_OPTIONS=stats=1:verbosity=0 %t 2>&1 | FileCheck %s
// CHECK: kinds: requests 8000 succeeded {{[0-9]+}} failed {{[0-9]+}}
// CHECK-NEXT: kinds: pool in use matches table: yes
// CHECK-NEXT: kinds: counter matches successes: yes
// CHECK-NEXT: kinds: clock advanced by every request: yes
// CHECK: rolled back as dependents 0
#include <akeso/akeso.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define PER_THREAD 2000
#define SLOTS 8
#define POOL 4096

struct object {
  struct object *next_free;
  long value;
  long stamp;
};

static struct object pool[POOL];
static struct object *free_list;
static long in_use;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static long requests_served; // the counter
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long clock_hand; // LRU clock: advisory only
static struct object *table[THREADS][SLOTS];

struct object *pool_alloc(void) {
  pthread_mutex_lock(&pool_lock);
  struct object *o = free_list;
  if (o) {
    free_list = o->next_free;
    in_use++;
  }
  pthread_mutex_unlock(&pool_lock);
  return o;
}

void pool_free(struct object *o) {
  pthread_mutex_lock(&pool_lock);
  o->next_free = free_list;
  free_list = o;
  in_use--;
  pthread_mutex_unlock(&pool_lock);
}

void stats_inc(long n) {
  pthread_mutex_lock(&stats_lock);
  requests_served += n;
  pthread_mutex_unlock(&stats_lock);
}

void stats_dec(long n) {
  pthread_mutex_lock(&stats_lock);
  requests_served -= n;
  pthread_mutex_unlock(&stats_lock);
}

int lru_touch(struct object *o) {
  o->stamp = __atomic_add_fetch(&clock_hand, 1, __ATOMIC_RELAXED);
  return 0;
}

int handle(int thread, int i) {
  struct object *o = pool_alloc();
  if (!o)
    return -2;
  o->value = (long)thread * PER_THREAD + i;
  stats_inc(1);
  lru_touch(o);
  struct object **slot = &table[thread][i % SLOTS];
  if (*slot)
    pool_free(*slot); // deferred until this request commits
  *slot = o;
  if (i % 7 == 3)
    akeso_fault("request failed after allocating");
  return 0;
}

static int succeeded[THREADS], failed[THREADS];

static void *worker(void *arg) {
  int t = (int)(long)arg;
  for (int i = 0; i < PER_THREAD; i++) {
    int r = handle(t, i);
    if (r == 0)
      succeeded[t]++;
    else if (r == -1)
      failed[t]++;
  }
  return NULL;
}

int main(void) {
  for (int i = POOL - 1; i >= 0; i--) {
    pool[i].next_free = free_list;
    free_list = &pool[i];
  }
  pthread_t tid[THREADS];
  for (long t = 0; t < THREADS; t++)
    pthread_create(&tid[t], NULL, worker, (void *)t);
  for (int t = 0; t < THREADS; t++)
    pthread_join(tid[t], NULL);
  int ok = 0, bad = 0;
  long referenced = 0;
  for (int t = 0; t < THREADS; t++) {
    ok += succeeded[t];
    bad += failed[t];
    for (int s = 0; s < SLOTS; s++)
      referenced += table[t][s] != NULL;
  }
  long free_count = 0;
  for (struct object *o = free_list; o; o = o->next_free)
    free_count++;
  printf("kinds: requests %d succeeded %d failed %d\n", ok + bad, ok, bad);
  printf("kinds: pool in use matches table: %s\n",
         in_use == referenced && free_count == POOL - referenced ? "yes"
                                                                 : "no");
  printf("kinds: counter matches successes: %s\n",
         requests_served == ok ? "yes" : "no");
  printf("kinds: clock advanced by every request: %s\n",
         clock_hand == ok + bad ? "yes" : "no");
  fflush(stdout);
  if (in_use != referenced || requests_served != ok)
    fprintf(stderr, "kinds: in_use %ld referenced %ld free %ld counter %ld\n",
            in_use, referenced, free_count, requests_served);
  return 0;
}
