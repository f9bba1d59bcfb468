// Locks and rollback (004 §5.2): a lock a domain acquired is released by its
// rollback, one it acquired and released is not released twice, and one it
// released on behalf of its caller is held again afterwards.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 -pthread %s -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t table_lock;   // error-checking: a wrong unlock fails
pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_spinlock_t counter_lock;
long table[16];
long counter;

// Takes the lock itself and faults while holding it.
int locked_update(int slot, long value) {
  pthread_mutex_lock(&table_lock);
  table[slot] = value;
  pthread_spin_lock(&counter_lock);
  counter++;
  pthread_spin_unlock(&counter_lock);
  if (value < 0)
    akeso_fault("negative value under the lock");
  pthread_mutex_unlock(&table_lock);
  return 0;
}

// Locks and unlocks, then faults after the critical section.
int locked_then_fault(long value) {
  pthread_rwlock_wrlock(&config_lock);
  table[0] = value;
  pthread_rwlock_unlock(&config_lock);
  akeso_fault("after the critical section");
  return 0;
}

// Called with table_lock held; drops it while working, then faults.
int locked_by_caller(long value) {
  table[1] = value;
  pthread_mutex_unlock(&table_lock);
  counter += 100;
  akeso_fault("fault with the caller's lock dropped");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&table_lock, &attr);
  pthread_spin_init(&counter_lock, PTHREAD_PROCESS_PRIVATE);

  int r = locked_update(3, -5);
  int free_after = pthread_mutex_trylock(&table_lock) == 0;
  if (free_after)
    pthread_mutex_unlock(&table_lock);
  // CHECK: fault in domain 'locked_update'{{.*}}negative value under the lock
  // CHECK: held lock: r=-1 released=1 table[3]=0 counter=0
  printf("held lock: r=%d released=%d table[3]=%ld counter=%ld\n", r,
         free_after, table[3], counter);

  r = locked_update(3, 7);
  // CHECK: committed: r=0 table[3]=7 counter=1
  printf("committed: r=%d table[3]=%ld counter=%ld\n", r, table[3], counter);

  r = locked_then_fault(9);
  int wrfree = pthread_rwlock_trywrlock(&config_lock) == 0;
  if (wrfree)
    pthread_rwlock_unlock(&config_lock);
  // CHECK: fault in domain 'locked_then_fault'
  // CHECK: released inside: r=-1 lock free=1 table[0]=0
  printf("released inside: r=%d lock free=%d table[0]=%ld\n", r, wrfree,
         table[0]);

  pthread_mutex_lock(&table_lock);
  r = locked_by_caller(11);
  // The caller still holds its lock: an error-checking mutex lets only the
  // owner unlock it.
  int unlock_result = pthread_mutex_unlock(&table_lock);
  // CHECK: fault in domain 'locked_by_caller'
  // CHECK: caller's lock: r=-1 unlock=0 table[1]=0 counter=1
  printf("caller's lock: r=%d unlock=%d table[1]=%ld counter=%ld\n", r,
         unlock_result, table[1], counter);
  return 0;
}
