// C11 atomics inside domains (004 §5.2: synchronization, not data): a
// spinlock built on atomic_exchange that a rolled-back domain holds is
// released; one it took and released stays free (and is not released under
// another holder); an atomic counter's increments by a rolled-back domain
// are taken back without losing other threads' increments; and requests
// that only share the lock and the counter never become dependent.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 -pthread %s -o %t
// RUN: env AKESO_OPTIONS=stats=1:verbosity=0 %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int lock;
static atomic_long hits;
static long table[64];

static void spin_lock(void) {
  while (atomic_exchange_explicit(&lock, 1, memory_order_acquire))
    ;
}
static void spin_unlock(void) {
  atomic_store_explicit(&lock, 0, memory_order_release);
}

// Faults while holding the lock when value < 0, after releasing it when
// value == 0.
int locked_update(int slot, long value) {
  atomic_fetch_add(&hits, 1);
  spin_lock();
  table[slot] = value;
  if (value < 0)
    akeso_fault("negative value under the spinlock");
  spin_unlock();
  if (value == 0)
    akeso_fault("zero value after the critical section");
  return 0;
}

static void *worker(void *arg) {
  long t = (long)arg;
  for (int i = 0; i < 20000; i++)
    locked_update((int)(t * 16 + i % 16), i % 10 == 0 ? 0 : i + 1);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int r = locked_update(1, -5);
  // CHECK: held: r=-1 lock=0 slot=0 hits=0
  printf("held: r=%d lock=%d slot=%ld hits=%ld\n", r, atomic_load(&lock),
         table[1], atomic_load(&hits));
  r = locked_update(2, 0);
  // CHECK: released: r=-1 lock=0 slot=0 hits=0
  printf("released: r=%d lock=%d slot=%ld hits=%ld\n", r, atomic_load(&lock),
         table[2], atomic_load(&hits));
  r = locked_update(3, 7);
  // CHECK: committed: r=0 lock=0 slot=7 hits=1
  printf("committed: r=%d lock=%d slot=%ld hits=%ld\n", r,
         atomic_load(&lock), table[3], atomic_load(&hits));

  pthread_t tid[4];
  for (long t = 0; t < 4; t++)
    pthread_create(&tid[t], NULL, worker, (void *)t);
  for (int t = 0; t < 4; t++)
    pthread_join(tid[t], NULL);
  // 4 threads x 20000 requests, every tenth rolled back.
  // CHECK: threads: lock=0 hits=72001
  printf("threads: lock=%d hits=%ld\n", atomic_load(&lock),
         atomic_load(&hits));
  // CHECK: dependence edges 0, {{.*}} rolled back as dependents 0
  return 0;
}
