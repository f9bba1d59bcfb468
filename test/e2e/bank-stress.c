// A randomized stress test with an oracle (issue #3): threads run transfers
// between accounts, each a basic domain that locks its two accounts; some
// fault at a random point: before locking, between the two updates (holding
// both locks), after recording, or after unlocking (when other transfers may
// already have read its speculative balances and must be rolled back too).
// Each transfer records itself in its thread's ledger inside the domain, so
// a transfer that is rolled back, even after its caller saw it succeed (a
// completed domain that depended on a faulting one), leaves no record.
// After the run: the total is conserved, every account equals its initial
// balance plus the ledger's transfers, and every transfer that returned its
// error value left nothing behind.  Seeded; the seed is printed on failure.
//
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/bank.yaml -O2 -pthread %s -o %t
// RUN: %t 1 4 20000 2>&1 | FileCheck %s
// RUN: %t 2 2 20000 2>&1 | FileCheck %s
// RUN: %t 3 3 20000 2>&1 | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: bank: conserved
#include <akeso/akeso.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCOUNTS 16
#define MAX_THREADS 8
#define INITIAL 1000000L

struct request {
  int from, to;
  long amount;
  int fault_point; // -1: none
  int result;
};

long balance[ACCOUNTS];
pthread_mutex_t lock[ACCOUNTS];
// ledger[t][i]: the amount transfer i of thread t moved, written inside the
// transfer's domain (0: it left no effect).
long *ledger[MAX_THREADS];
struct request *requests[MAX_THREADS];
int per_thread;

static void fault_at(const struct request *r, int point) {
  if (r->fault_point == point)
    akeso_fault("injected fault");
}

int transfer(struct request *r, long *record) {
  fault_at(r, 0);
  int first = r->from < r->to ? r->from : r->to;
  int second = r->from < r->to ? r->to : r->from;
  pthread_mutex_lock(&lock[first]);
  pthread_mutex_lock(&lock[second]);
  balance[r->from] -= r->amount;
  fault_at(r, 1);
  balance[r->to] += r->amount;
  *record = r->amount;
  fault_at(r, 2);
  pthread_mutex_unlock(&lock[second]);
  pthread_mutex_unlock(&lock[first]);
  fault_at(r, 3);
  return 0;
}

static void *worker(void *arg) {
  long t = (long)arg;
  for (int i = 0; i < per_thread; i++)
    requests[t][i].result = transfer(&requests[t][i], &ledger[t][i]);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SEED THREADS TRANSFERS_PER_THREAD\n", argv[0]);
    return 2;
  }
  unsigned seed = (unsigned)strtoul(argv[1], NULL, 10);
  int threads = atoi(argv[2]);
  per_thread = atoi(argv[3]);
  if (threads < 1 || threads > MAX_THREADS || per_thread < 1) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }
  unsigned rng = seed;
  for (int a = 0; a < ACCOUNTS; a++) {
    balance[a] = INITIAL;
    pthread_mutex_init(&lock[a], NULL);
  }
  int injected = 0;
  for (int t = 0; t < threads; t++) {
    requests[t] = calloc(per_thread, sizeof(struct request));
    ledger[t] = calloc(per_thread, sizeof(long));
    for (int i = 0; i < per_thread; i++) {
      struct request *r = &requests[t][i];
      r->from = rand_r(&rng) % ACCOUNTS;
      r->to = (r->from + 1 + rand_r(&rng) % (ACCOUNTS - 1)) % ACCOUNTS;
      r->amount = 1 + rand_r(&rng) % 1000;
      r->fault_point = rand_r(&rng) % 40 == 0 ? rand_r(&rng) % 4 : -1;
      injected += r->fault_point >= 0;
    }
  }
  pthread_t tid[MAX_THREADS];
  for (long t = 0; t < threads; t++)
    pthread_create(&tid[t], NULL, worker, (void *)t);
  for (int t = 0; t < threads; t++)
    pthread_join(tid[t], NULL);

  int failures = 0;
  long expected[ACCOUNTS], total = 0;
  int committed = 0, failed = 0, undone_after_success = 0;
  for (int a = 0; a < ACCOUNTS; a++)
    expected[a] = INITIAL;
  for (int t = 0; t < threads; t++)
    for (int i = 0; i < per_thread; i++) {
      struct request *r = &requests[t][i];
      long moved = ledger[t][i];
      if (moved != 0 && moved != r->amount) {
        printf("FAIL: seed %u: transfer %d.%d recorded %ld, asked %ld\n", seed,
               t, i, moved, r->amount);
        failures++;
      }
      if (r->result != 0 && moved != 0) {
        printf("FAIL: seed %u: transfer %d.%d returned %d but left a "
               "record\n",
               seed, t, i, r->result);
        failures++;
      }
      if (r->result == 0 && r->fault_point >= 0) {
        printf("FAIL: seed %u: transfer %d.%d faulted but returned 0\n", seed,
               t, i);
        failures++;
      }
      if (moved) {
        expected[r->from] -= moved;
        expected[r->to] += moved;
        committed++;
      } else if (r->result == 0) {
        undone_after_success++;
      } else {
        failed++;
      }
    }
  for (int a = 0; a < ACCOUNTS; a++) {
    total += balance[a];
    if (balance[a] != expected[a]) {
      printf("FAIL: seed %u: account %d holds %ld, its transfers say %ld\n",
             seed, a, balance[a], expected[a]);
      failures++;
    }
  }
  if (total != INITIAL * ACCOUNTS) {
    printf("FAIL: seed %u: total %ld, expected %ld\n", seed, total,
           INITIAL * ACCOUNTS);
    failures++;
  }
  fprintf(stderr,
          "bank: seed %u, %d threads: %d transfers committed, %d returned "
          "their error (%d faults injected), %d undone after returning\n",
          seed, threads, committed, failed, injected, undone_after_success);
  if (failures)
    return 1;
  printf("bank: conserved\n");
  return 0;
}
