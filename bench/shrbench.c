/*===- shrbench.c - requests on a hash table shared by all threads -*- C -*-===*
 *
 * The shared-state companion of reqbench.c.  All threads serve requests
 * against ONE hash table.  Every request goes through handle_request(),
 * which shrbench.yaml declares a basic recovery domain, so under akeso-cc
 * each request is one domain; a request that reads an entry another
 * thread's request wrote and has not committed yet depends on that request
 * (004 §4.2), waits for it to commit, and is rolled back with it.
 *
 *   usage: shrbench [-n REQUESTS] [--seed S] [--threads N] [--keys K]
 *                   [--fault-every N]
 *
 * A request does GETS lookups and PUTS updates, each on a key drawn
 * uniformly from [0, K):
 *   lookup  finds the entry, checks that its value words are the ones its
 *           key and version determine (a torn or half-undone entry would
 *           fail this), and adds them to the reply;
 *   update  7 in 8: increments the entry's version and rewrites its value
 *           words, or inserts the key with version 1 (malloc);
 *           1 in 8: deletes the entry (free).
 * Half the keys are present at the start; then about 7/8 are.
 *
 * Locking: one pthread mutex per stripe of buckets (bucket & 1023), each in
 * its own cache line, taken around every single lookup or update and
 * released before the next one.  With one lock for the whole table the two
 * threads would simply take turns and the benchmark would measure the lock
 * rather than the sharing; a mutex per bucket would cost a cache miss of
 * its own on every access.  Striping keeps the threads running in parallel
 * on the same table, meeting only where their keys fall in the same
 * stripe, which is also where akeso's dependences form.  The locks are
 * released inside the domain, so another thread can read an update before
 * the request that made it has committed: those reads are the dependences
 * akeso has to track.  With --keys small (say 64) the threads meet all the
 * time.
 *
 * Correctness, checked at the end in every build:
 *   - no lookup ever saw an inconsistent entry;
 *   - the versions in the table plus those of deleted entries equal the
 *     number of updates that inserted or updated (every completed update
 *     adds exactly one version), counted per thread inside the requests;
 *   - with one thread the result is deterministic: `checksum` hashes every
 *     reply and the final table, and must be the same in every build.
 *     With more threads the interleaving decides the replies, so
 *     `checksum` is printed as "-" and only the invariants are checked.
 *
 * --fault-every N marks every Nth request of a thread.  Built with
 * -DSHRBENCH_AKESO (akeso-cc), such a request does its work and then calls
 * akeso_fault(); in every other build it is skipped.  Either way it returns
 * -1.  Under akeso, a request on another thread that read its updates is
 * rolled back with it and also returns -1 ("collateral"); the invariants
 * must hold all the same.
 *
 * Output (stdout), "name value" lines: requests, threads, keys, faulted,
 * collateral, checksum, invariants (ok/FAILED), loop_seconds (wall time of
 * the request loop only), loop_cpu_seconds (process CPU time over it).
 *
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
  VALUE_WORDS = 5, /* an entry is 8 words: next, key, version, 5 values */
  GETS = 4,        /* lookups per request */
  PUTS = 2,        /* updates per request */
  LOCK_STRIPES = 1024,
  MAX_THREADS = 16
};

#define DEFAULT_REQUESTS 2000000ULL
#define DEFAULT_KEYS 16384ULL

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/*===------------------------------------------------------------------===*
 * The shared table
 *===------------------------------------------------------------------===*/

struct entry {
  struct entry *next;
  uint64_t key;
  uint64_t version;
  uint64_t value[VALUE_WORDS]; /* value_word(key, version, i) */
};

struct stripe {
  _Alignas(64) pthread_mutex_t lock;
};

struct table {
  struct entry **buckets;
  uint64_t mask; /* buckets - 1 */
  struct stripe *stripes;
  uint64_t stripe_mask;
};

static struct table db;

static uint64_t value_word(uint64_t key, uint64_t version, unsigned i) {
  return mix64(key * 0x9e3779b97f4a7c15ULL + version * 31 + i);
}

static uint64_t bucket_of(const struct table *t, uint64_t key) {
  return mix64(key ^ 0x5bd1e995) & t->mask;
}

/* What one thread's requests did; written only by that thread, inside its
 * requests (so a rolled-back request leaves no trace here either). */
struct stats {
  uint64_t gets, hits, puts, inserts, deletes;
  uint64_t versions_added;   /* completed inserts and updates */
  uint64_t versions_retired; /* versions of the entries it deleted */
  uint64_t inconsistent;     /* lookups that saw a torn entry */
};

struct request {
  struct table *t;
  struct stats *st;
  uint64_t get_keys[GETS];
  uint64_t put_keys[PUTS];
  unsigned char put_is_delete[PUTS];
  int fault; /* --fault-every: this request must leave no trace */
};

struct reply {
  uint64_t sum;
  uint32_t hits;
  uint32_t inserted;
};

#ifdef SHRBENCH_AKESO
#include <akeso/akeso.h>
#define SKIP_IF_FAULTING(r) ((void)0)
#define FAULT_IF_FAULTING(r)                                                   \
  do {                                                                         \
    if ((r)->fault)                                                            \
      akeso_fault("shrbench: injected fault");                                 \
  } while (0)
#else
#define SKIP_IF_FAULTING(r)                                                    \
  do {                                                                         \
    if ((r)->fault)                                                            \
      return -1;                                                               \
  } while (0)
#define FAULT_IF_FAULTING(r) ((void)0)
#endif

static pthread_mutex_t *lock_of(struct table *t, uint64_t bucket) {
  return &t->stripes[bucket & t->stripe_mask].lock;
}

static void lookup(struct table *t, struct stats *st, uint64_t key,
                   struct reply *out) {
  uint64_t b = bucket_of(t, key);
  pthread_mutex_t *m = lock_of(t, b);
  pthread_mutex_lock(m);
  st->gets++;
  for (struct entry *e = t->buckets[b]; e; e = e->next) {
    if (e->key != key)
      continue;
    uint64_t sum = 0;
    for (unsigned i = 0; i < VALUE_WORDS; i++) {
      if (e->value[i] != value_word(key, e->version, i))
        st->inconsistent++;
      sum += e->value[i];
    }
    st->hits++;
    out->sum = mix64(out->sum ^ sum);
    out->hits++;
    break;
  }
  pthread_mutex_unlock(m);
}

/* Returns -1 if memory ran out. */
static int update(struct table *t, struct stats *st, uint64_t key,
                  int is_delete, struct reply *out) {
  uint64_t b = bucket_of(t, key);
  pthread_mutex_t *m = lock_of(t, b);
  struct entry *dead = NULL;
  int rc = 0;
  pthread_mutex_lock(m);
  st->puts++;
  struct entry **p = &t->buckets[b];
  while (*p && (*p)->key != key)
    p = &(*p)->next;
  struct entry *e = *p;
  if (is_delete) {
    if (e) {
      *p = e->next;
      st->deletes++;
      st->versions_retired += e->version;
      dead = e;
    }
  } else {
    if (!e && (e = malloc(sizeof *e)) != NULL) {
      e->key = key;
      e->version = 0;
      e->next = t->buckets[b];
      t->buckets[b] = e;
      st->inserts++;
      out->inserted++;
    }
    if (e) {
      e->version++;
      for (unsigned i = 0; i < VALUE_WORDS; i++)
        e->value[i] = value_word(key, e->version, i);
      st->versions_added++;
    } else {
      rc = -1;
    }
  }
  pthread_mutex_unlock(m);
  free(dead);
  return rc;
}

/* One request.  shrbench.yaml makes handle_request a basic recovery domain
 * with error value -1. */
int handle_request(struct request *r, struct reply *out) {
  SKIP_IF_FAULTING(r);
  out->sum = 0;
  out->hits = 0;
  out->inserted = 0;
  for (unsigned i = 0; i < GETS; i++)
    lookup(r->t, r->st, r->get_keys[i], out);
  for (unsigned i = 0; i < PUTS; i++)
    if (update(r->t, r->st, r->put_keys[i], r->put_is_delete[i], out) != 0)
      return -2;
  FAULT_IF_FAULTING(r);
  return 0;
}

static int table_init(struct table *t, uint64_t keys) {
  uint64_t n = 1;
  while (n < keys)
    n <<= 1;
  t->buckets = calloc(n, sizeof *t->buckets);
  t->mask = n - 1;
  uint64_t s = n < LOCK_STRIPES ? n : LOCK_STRIPES;
  t->stripes = aligned_alloc(64, s * sizeof *t->stripes);
  t->stripe_mask = s - 1;
  if (!t->buckets || !t->stripes)
    return -1;
  for (uint64_t i = 0; i < s; i++)
    pthread_mutex_init(&t->stripes[i].lock, NULL);
  return 0;
}

/* Versions in the table, entry count, and an order-independent digest. */
static void table_scan(const struct table *t, uint64_t *versions,
                       uint64_t *entries, uint64_t *digest) {
  *versions = *entries = *digest = 0;
  for (uint64_t b = 0; b <= t->mask; b++)
    for (const struct entry *e = t->buckets[b]; e; e = e->next) {
      *versions += e->version;
      *entries += 1;
      *digest += mix64(e->key * 3 + mix64(e->version));
    }
}

static void table_destroy(struct table *t) {
  for (uint64_t b = 0; b <= t->mask; b++) {
    struct entry *e = t->buckets[b];
    while (e) {
      struct entry *next = e->next;
      free(e);
      e = next;
    }
  }
  free(t->buckets);
  free(t->stripes);
}

/*===------------------------------------------------------------------===*
 * Driver
 *===------------------------------------------------------------------===*/

struct rng {
  uint64_t s;
};

static void rng_seed(struct rng *g, uint64_t seed) {
  g->s = mix64(seed + 0x9e3779b97f4a7c15ULL);
  if (g->s == 0)
    g->s = 1;
}

static uint64_t rng_next(struct rng *g) { /* xorshift64* */
  uint64_t x = g->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  g->s = x;
  return x * 0x2545f4914f6cdd1dULL;
}

struct worker {
  pthread_t thread;
  unsigned index;
  uint64_t requests, keys, seed, fault_every;
  uint64_t checksum, faulted, collateral;
  int failed;
  /* Its own cache lines: the threads share the table, not their counters. */
  _Alignas(128) struct stats st;
};

static pthread_barrier_t start_line;

static void *run_worker(void *arg) {
  struct worker *w = arg;
  struct rng g;
  rng_seed(&g, w->seed * 1000003ULL + w->index);
  struct request req;
  struct reply out;
  req.t = &db;
  req.st = &w->st;
  req.fault = 0;

  pthread_barrier_wait(&start_line);
  uint64_t sum = 0;
  for (uint64_t i = 0; !w->failed && i < w->requests; i++) {
    for (unsigned j = 0; j < GETS; j++)
      req.get_keys[j] = rng_next(&g) % w->keys;
    for (unsigned j = 0; j < PUTS; j++) {
      uint64_t x = rng_next(&g);
      req.put_keys[j] = x % w->keys;
      req.put_is_delete[j] = (x >> 40) % 8 == 0;
    }
    req.fault = w->fault_every && i % w->fault_every == w->fault_every - 1;
    int rc = handle_request(&req, &out);
    if (req.fault) {
      w->faulted++;
      if (rc != -1)
        w->failed = 1;
      continue;
    }
    if (rc == -1) {
      w->collateral++; /* rolled back with another thread's request */
      continue;
    }
    if (rc != 0) {
      w->failed = 1;
      continue;
    }
    sum = mix64(sum + out.sum + ((uint64_t)out.hits << 32 | out.inserted));
  }
  w->checksum = sum;
  return NULL;
}

static int parse_u64(const char *s, uint64_t *out) {
  char *end;
  if (!s || !*s || s[0] == '-')
    return -1;
  unsigned long long v = strtoull(s, &end, 0);
  if (*end)
    return -1;
  *out = v;
  return 0;
}

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [-n REQUESTS] [--seed S] [--threads N] [--keys K]\n"
          "       [--fault-every N]\n"
          "  -n, --requests N  total requests, split over the threads "
          "(default %llu)\n"
          "  --seed S          request stream seed (default 1)\n"
          "  --threads N       threads sharing the table (default 1)\n"
          "  --keys K          key space of the table (default %llu)\n"
          "  --fault-every N   every Nth request of a thread must leave no\n"
          "                    trace (default 0: none)\n",
          argv0, DEFAULT_REQUESTS, DEFAULT_KEYS);
  exit(2);
}

static double seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  uint64_t requests = DEFAULT_REQUESTS, seed = 1, threads = 1,
           keys = DEFAULT_KEYS, fault_every = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    uint64_t *dst = NULL;
    if (!strcmp(a, "-n") || !strcmp(a, "--requests"))
      dst = &requests;
    else if (!strcmp(a, "--seed"))
      dst = &seed;
    else if (!strcmp(a, "--threads"))
      dst = &threads;
    else if (!strcmp(a, "--keys"))
      dst = &keys;
    else if (!strcmp(a, "--fault-every"))
      dst = &fault_every;
    else
      usage(argv[0]);
    if (i + 1 >= argc || parse_u64(argv[++i], dst) != 0)
      usage(argv[0]);
  }
  if (threads < 1 || threads > MAX_THREADS || keys < 1 || keys > (1ULL << 32))
    usage(argv[0]);

  if (table_init(&db, keys) != 0) {
    fprintf(stderr, "shrbench: out of memory\n");
    return 1;
  }
  /* Set-up, not timed: every other key present, inserted through the
   * request path by the main thread. */
  static struct worker workers[MAX_THREADS];
  struct stats setup = {0};
  {
    struct request req = {.t = &db, .st = &setup};
    struct reply out;
    for (uint64_t k = 0; k < keys; k += 2 * PUTS) {
      for (unsigned j = 0; j < GETS; j++)
        req.get_keys[j] = k;
      for (unsigned j = 0; j < PUTS; j++) {
        req.put_keys[j] = (k + 2 * j) % keys;
        req.put_is_delete[j] = 0;
      }
      if (handle_request(&req, &out) != 0) {
        fprintf(stderr, "shrbench: set-up failed\n");
        return 1;
      }
    }
  }

  pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
  for (unsigned t = 0; t < threads; t++) {
    struct worker *w = &workers[t];
    w->index = t;
    w->keys = keys;
    w->seed = seed;
    w->fault_every = fault_every;
    w->requests = requests / threads + (t < requests % threads);
    if (pthread_create(&w->thread, NULL, run_worker, w) != 0) {
      fprintf(stderr, "shrbench: cannot create thread %u\n", t);
      return 1;
    }
  }
  pthread_barrier_wait(&start_line);
  double start = seconds(CLOCK_MONOTONIC);
  double cpu_start = seconds(CLOCK_PROCESS_CPUTIME_ID);
  for (unsigned t = 0; t < threads; t++)
    pthread_join(workers[t].thread, NULL);
  double elapsed = seconds(CLOCK_MONOTONIC) - start;
  double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;

  uint64_t faulted = 0, collateral = 0, added = setup.versions_added,
           retired = setup.versions_retired, inconsistent = 0, checksum = 0;
  uint64_t inserts = setup.inserts, deletes = setup.deletes;
  int failed = 0;
  for (unsigned t = 0; t < threads; t++) {
    struct worker *w = &workers[t];
    faulted += w->faulted;
    collateral += w->collateral;
    added += w->st.versions_added;
    retired += w->st.versions_retired;
    inserts += w->st.inserts;
    deletes += w->st.deletes;
    inconsistent += w->st.inconsistent;
    checksum ^= mix64(w->checksum + t);
    failed |= w->failed;
  }
  uint64_t versions, entries, digest;
  table_scan(&db, &versions, &entries, &digest);
  int invariants_ok = inconsistent == 0 && versions + retired == added &&
                      entries == inserts - deletes;

  printf("requests %" PRIu64 "\nthreads %" PRIu64 "\nseed %" PRIu64
         "\nkeys %" PRIu64 "\n",
         requests, threads, seed, keys);
  printf("faulted %" PRIu64 "\ncollateral %" PRIu64 "\n", faulted, collateral);
  if (threads == 1)
    printf("checksum %016" PRIx64 "\n", mix64(checksum ^ digest));
  else
    printf("checksum -\n");
  printf("invariants %s\n", invariants_ok ? "ok" : "FAILED");
  printf("loop_seconds %.6f\n", elapsed);
  printf("loop_cpu_seconds %.6f\n", cpu);
  table_destroy(&db);
  pthread_barrier_destroy(&start_line);
  if (failed || !invariants_ok) {
    fprintf(stderr,
            "shrbench: %s (inconsistent lookups %" PRIu64
            ", versions %" PRIu64 " + retired %" PRIu64 " vs added %" PRIu64
            ", entries %" PRIu64 " vs inserts-deletes %" PRIu64 ")\n",
            failed ? "a request failed or an injected fault was not reported"
                   : "invariants violated",
            inconsistent, versions, retired, added, entries,
            inserts - deletes);
    return 1;
  }
  return 0;
}
