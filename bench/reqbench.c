/*===- reqbench.c - a request-processing workload for overhead numbers -*- C -*-===*
 *
 * An in-process key-value store driven by a deterministic request stream.
 * Every request goes through handle_request(), which reqbench.yaml declares
 * a basic recovery domain, so under akeso-cc each request is one domain: a
 * setjmp landing pad, the first write to every word logged, a commit at the
 * end.  Nothing here knows about akeso; the same file is built natively and
 * with the peer tools (ASan, TSan, GCC's libitm) by bench/run.sh.
 *
 *   usage: reqbench [-n REQUESTS] [--seed S] [--threads N] [--keys K]
 *                   [--fault-every N]
 *
 * The store is a chained hash table of malloc'ed entries, each holding a
 * fixed-size key and a malloc'ed value of 8..VAL_MAX bytes.  The stream,
 * produced by a seeded xorshift64* generator, is about 70% GET, 25% SET (a
 * fresh value is allocated and the old one freed), 3% DEL and 2% MSET of
 * MSET_MAX pairs, over a key space of K keys of which half are present at
 * the start.
 *
 * With --threads N every thread owns a table and a generator of its own
 * (seed + thread index) and serves REQUESTS / N requests; nothing is shared.
 *
 * Output (stdout), one "name value" pair a line so scripts can grep it:
 *   checksum      hash of every reply and of the final table contents;
 *                 independent of the tool the program was built with
 *   loop_seconds  CLOCK_MONOTONIC time around the request loop only
 *                 (table set-up, thread start and teardown excluded)
 *   loop_cpu_seconds  CPU time of the process over the same interval, all
 *                 threads added up; on a busy machine it is steadier than
 *                 the wall time because time spent descheduled is left out
 *
 * Build with -DUSE_TM (GCC, -fgnu-tm) to run the body of every request in a
 * GCC transactional-memory transaction instead; USE_TM=2 selects
 * __transaction_relaxed, anything else __transaction_atomic.
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
  KEY_LEN = 16,  /* keys are "k" + 15 hex digits, not NUL-terminated */
  VAL_MIN = 8,
  VAL_MAX = 120,
  MSET_MAX = 4,  /* pairs in one MSET */
  MAX_THREADS = 64
};

#define DEFAULT_REQUESTS 4000000ULL
#define DEFAULT_KEYS 16384ULL

/*===------------------------------------------------------------------===*
 * The store
 *===------------------------------------------------------------------===*/

struct entry {
  struct entry *next;
  uint64_t hash;
  char key[KEY_LEN];
  uint32_t vlen;
  char *value; /* malloc'ed, vlen bytes */
};

struct table {
  struct entry **buckets;
  uint64_t mask; /* number of buckets - 1 */
  uint64_t count;
  /* Counters the requests bump, as a real server's statistics would. */
  uint64_t gets, hits, sets, dels, msets, bytes_written;
};

enum op { OP_GET, OP_SET, OP_DEL, OP_MSET };

struct kv {
  char key[KEY_LEN];
  uint32_t vlen;
  char value[VAL_MAX];
};

struct request {
  struct table *db; /* the connection's store */
  enum op op;
  unsigned npairs; /* 1, or up to MSET_MAX for OP_MSET */
  int fault;       /* --fault-every: this request must leave no trace */
  struct kv kv[MSET_MAX];
};

enum status { ST_OK, ST_NOT_FOUND, ST_VALUE };

struct reply {
  enum status status;
  uint32_t len;
  uint64_t aux; /* SET/MSET: entries in the table afterwards */
  char data[VAL_MAX];
};

static uint64_t hash_key(const char *key) {
  /* FNV-1a over the fixed-size key, then a final mix. */
  uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < KEY_LEN; i++) {
    h ^= (unsigned char)key[i];
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 29;
  return h;
}

/* Keys are compared as two words (memcmp is not transaction-safe for
 * GCC's -fgnu-tm, and clang would inline it to the same code). */
static int key_equal(const char *a, const char *b) {
  uint64_t a0, a1, b0, b1;
  memcpy(&a0, a, 8);
  memcpy(&a1, a + 8, 8);
  memcpy(&b0, b, 8);
  memcpy(&b1, b + 8, 8);
  return a0 == b0 && a1 == b1;
}

static struct entry **find_slot(struct table *t, const char *key,
                                uint64_t h) {
  struct entry **p = &t->buckets[h & t->mask];
  while (*p && ((*p)->hash != h || !key_equal((*p)->key, key)))
    p = &(*p)->next;
  return p;
}

/* Stores one pair; returns -1 if memory ran out. */
static int set_pair(struct table *t, const struct kv *kv) {
  uint64_t h = hash_key(kv->key);
  struct entry **p = find_slot(t, kv->key, h);
  char *value = malloc(kv->vlen);
  if (!value)
    return -1;
  memcpy(value, kv->value, kv->vlen);
  struct entry *e = *p;
  if (e) {
    free(e->value);
  } else {
    e = malloc(sizeof *e);
    if (!e) {
      free(value);
      return -1;
    }
    memcpy(e->key, kv->key, KEY_LEN);
    e->hash = h;
    e->next = t->buckets[h & t->mask];
    t->buckets[h & t->mask] = e;
    t->count++;
  }
  e->value = value;
  e->vlen = kv->vlen;
  t->sets++;
  t->bytes_written += kv->vlen;
  return 0;
}

/* --fault-every N marks every Nth request as faulting, to check that a
 * rolled-back request leaves no trace.  Built with -DREQBENCH_AKESO (and
 * akeso-cc) such a request does all its work and then calls akeso_fault(),
 * so the runtime must undo it; in every other build it is simply not
 * executed.  Both make handle_request return -1 with the table and the
 * reply as they were, so the checksums must still agree. */
#ifdef REQBENCH_AKESO
#include <akeso/akeso.h>
#define SKIP_IF_FAULTING(r) ((void)0)
#define FAULT_IF_FAULTING(r)                                                   \
  do {                                                                         \
    if ((r)->fault)                                                            \
      akeso_fault("reqbench: injected fault");                                 \
  } while (0)
#else
#define SKIP_IF_FAULTING(r)                                                    \
  do {                                                                         \
    if ((r)->fault)                                                            \
      return -1;                                                               \
  } while (0)
#define FAULT_IF_FAULTING(r) ((void)0)
#endif

#ifdef USE_TM
#define HANDLE_BODY static __attribute__((transaction_safe)) int handle_body
#else
#define HANDLE_BODY int handle_request
#endif

/* One request.  reqbench.yaml makes handle_request a basic recovery domain
 * with error value -1. */
HANDLE_BODY(struct request *r, struct reply *out) {
  struct table *t = r->db;
  int rc = 0;
  SKIP_IF_FAULTING(r);
  out->status = ST_OK;
  out->len = 0;
  out->aux = 0;
  switch (r->op) {
  case OP_GET: {
    const struct kv *kv = &r->kv[0];
    struct entry *e = *find_slot(t, kv->key, hash_key(kv->key));
    t->gets++;
    if (!e) {
      out->status = ST_NOT_FOUND;
      break;
    }
    t->hits++;
    out->status = ST_VALUE;
    out->len = e->vlen;
    memcpy(out->data, e->value, e->vlen);
    break;
  }
  case OP_SET:
    rc = set_pair(t, &r->kv[0]);
    out->aux = t->count;
    break;
  case OP_MSET:
    for (unsigned i = 0; rc == 0 && i < r->npairs; i++)
      rc = set_pair(t, &r->kv[i]);
    t->msets++;
    out->aux = t->count;
    break;
  case OP_DEL: {
    const struct kv *kv = &r->kv[0];
    struct entry **p = find_slot(t, kv->key, hash_key(kv->key));
    struct entry *e = *p;
    t->dels++;
    if (!e) {
      out->status = ST_NOT_FOUND;
      break;
    }
    *p = e->next;
    t->count--;
    free(e->value);
    free(e);
    break;
  }
  default:
    rc = -1;
  }
  FAULT_IF_FAULTING(r);
  return rc;
}

#ifdef USE_TM
int handle_request(struct request *r, struct reply *out) {
  int rc;
#if USE_TM == 2
  __transaction_relaxed { rc = handle_body(r, out); }
#else
  __transaction_atomic { rc = handle_body(r, out); }
#endif
  return rc;
}
#endif

static int table_init(struct table *t, uint64_t keys) {
  uint64_t n = 1;
  while (n < keys)
    n <<= 1;
  memset(t, 0, sizeof *t);
  t->buckets = calloc(n, sizeof *t->buckets);
  t->mask = n - 1;
  return t->buckets ? 0 : -1;
}

static void table_destroy(struct table *t) {
  for (uint64_t b = 0; b <= t->mask; b++) {
    struct entry *e = t->buckets[b];
    while (e) {
      struct entry *next = e->next;
      free(e->value);
      free(e);
      e = next;
    }
  }
  free(t->buckets);
}

/*===------------------------------------------------------------------===*
 * The request stream
 *===------------------------------------------------------------------===*/

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

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

static void make_key(char *key, uint64_t id) {
  static const char hex[] = "0123456789abcdef";
  key[0] = 'k';
  for (int i = KEY_LEN - 1; i >= 1; i--) {
    key[i] = hex[id & 15];
    id >>= 4;
  }
}

static void make_pair(struct rng *g, struct kv *kv, uint64_t keys) {
  make_key(kv->key, rng_next(g) % keys);
  kv->vlen = VAL_MIN + (uint32_t)(rng_next(g) % (VAL_MAX - VAL_MIN + 1));
  uint64_t w = rng_next(g);
  for (uint32_t i = 0; i < kv->vlen; i += 8) {
    uint64_t x = w + i;
    uint32_t n = kv->vlen - i < 8 ? kv->vlen - i : 8;
    memcpy(kv->value + i, &x, n);
  }
}

static void next_request(struct rng *g, struct request *r, uint64_t keys) {
  unsigned pick = (unsigned)(rng_next(g) % 100);
  if (pick < 70) {
    r->op = OP_GET;
    r->npairs = 1;
    make_key(r->kv[0].key, rng_next(g) % keys);
  } else if (pick < 95) {
    r->op = OP_SET;
    r->npairs = 1;
    make_pair(g, &r->kv[0], keys);
  } else if (pick < 98) {
    r->op = OP_DEL;
    r->npairs = 1;
    make_key(r->kv[0].key, rng_next(g) % keys);
  } else {
    r->op = OP_MSET;
    r->npairs = MSET_MAX;
    for (unsigned i = 0; i < MSET_MAX; i++)
      make_pair(g, &r->kv[i], keys);
  }
}

/*===------------------------------------------------------------------===*
 * Checksums
 *===------------------------------------------------------------------===*/

static uint64_t hash_bytes(const char *p, size_t n) {
  uint64_t h = 0x84222325cbf29ce4ULL ^ n;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = mix64(h ^ w);
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, n);
  return mix64(h ^ w ^ 0xa5);
}

static uint64_t reply_hash(int rc, const struct reply *out) {
  uint64_t h = mix64((uint64_t)(rc + 2) << 32 | (uint64_t)out->status << 8);
  h = mix64(h ^ out->aux);
  if (out->status == ST_VALUE)
    h ^= hash_bytes(out->data, out->len);
  return h;
}

/* Order-independent digest of the table's contents and counters. */
static uint64_t table_digest(const struct table *t) {
  uint64_t sum = 0;
  for (uint64_t b = 0; b <= t->mask; b++)
    for (const struct entry *e = t->buckets[b]; e; e = e->next)
      sum += mix64(hash_bytes(e->key, KEY_LEN) ^
                   hash_bytes(e->value, e->vlen) * 3);
  const uint64_t counters[] = {t->count, t->gets,  t->hits,         t->sets,
                               t->dels,  t->msets, t->bytes_written};
  for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
    sum = mix64(sum ^ counters[i]) + i;
  return sum;
}

/*===------------------------------------------------------------------===*
 * Driver
 *===------------------------------------------------------------------===*/

struct worker {
  pthread_t thread;
  unsigned index;
  uint64_t requests, keys, seed, fault_every;
  uint64_t checksum, faulted;
  int failed;
  /* Own cache lines: threads share nothing, not even by false sharing
   * (which an instrumented build would repeat in its version records). */
  _Alignas(128) struct table db;
};

static pthread_barrier_t start_line;

static void *run_worker(void *arg) {
  struct worker *w = arg;
  struct rng g;
  rng_seed(&g, w->seed * 1000003ULL + w->index);
  struct request req; /* what a connection would have parsed */
  struct reply out;

  /* Set-up, not timed: half the key space present, loaded through the same
   * request path. */
  w->failed = table_init(&w->db, w->keys) != 0;
  req.db = &w->db;
  req.op = OP_SET;
  req.npairs = 1;
  req.fault = 0;
  for (uint64_t i = 0; !w->failed && i < w->keys; i += 2) {
    make_key(req.kv[0].key, i);
    req.kv[0].vlen = VAL_MIN + (uint32_t)(i % (VAL_MAX - VAL_MIN + 1));
    memset(req.kv[0].value, (int)('a' + i % 26), req.kv[0].vlen);
    if (handle_request(&req, &out) != 0)
      w->failed = 1;
  }

  pthread_barrier_wait(&start_line);
  uint64_t sum = 0;
  for (uint64_t i = 0; !w->failed && i < w->requests; i++) {
    next_request(&g, &req, w->keys);
    req.fault = w->fault_every && i % w->fault_every == w->fault_every - 1;
    int rc = handle_request(&req, &out);
    if (req.fault) {
      w->faulted++;
      if (rc != -1)
        w->failed = 1;
    } else if (rc != 0) {
      w->failed = 1;
    }
    sum = mix64(sum + reply_hash(rc, &out));
  }
  w->checksum = mix64(sum ^ table_digest(&w->db));
  return NULL;
}

static int parse_u64(const char *s, uint64_t *out) {
  char *end;
  if (!s || !*s)
    return -1;
  unsigned long long v = strtoull(s, &end, 0);
  if (*end || s[0] == '-')
    return -1;
  *out = v;
  return 0;
}

static void usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [-n REQUESTS] [--seed S] [--threads N] [--keys K]\n"
          "       [--fault-every N]\n"
          "  -n, --requests N  total requests (default %llu)\n"
          "  --seed S          request stream seed (default 1)\n"
          "  --threads N       threads, each with its own table (default 1)\n"
          "  --keys K          key space per thread (default %llu)\n"
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
  if (threads < 1 || threads > MAX_THREADS || keys < 1 || keys > (1ULL << 40))
    usage(argv[0]);

  static struct worker workers[MAX_THREADS];
  pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
  for (unsigned t = 0; t < threads; t++) {
    struct worker *w = &workers[t];
    w->index = t;
    w->keys = keys;
    w->seed = seed;
    w->fault_every = fault_every;
    w->requests = requests / threads + (t < requests % threads);
    if (pthread_create(&w->thread, NULL, run_worker, w) != 0) {
      fprintf(stderr, "reqbench: cannot create thread %u\n", t);
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

  uint64_t checksum = 0;
  uint64_t faulted = 0;
  int failed = 0;
  for (unsigned t = 0; t < threads; t++) {
    faulted += workers[t].faulted;
    checksum ^= mix64(workers[t].checksum + t);
    failed |= workers[t].failed;
    table_destroy(&workers[t].db);
  }
  pthread_barrier_destroy(&start_line);

  printf("requests %" PRIu64 "\nthreads %" PRIu64 "\nseed %" PRIu64
         "\nkeys %" PRIu64 "\n",
         requests, threads, seed, keys);
  printf("faulted %" PRIu64 "\n", faulted);
  printf("checksum %016" PRIx64 "\n", checksum);
  printf("loop_seconds %.6f\n", elapsed);
  printf("loop_cpu_seconds %.6f\n", cpu);
  if (failed) {
    fprintf(stderr, "reqbench: a request failed (out of memory?) or an "
                    "injected fault was not reported\n");
    return 1;
  }
  return 0;
}
