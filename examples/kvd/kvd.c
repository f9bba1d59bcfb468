/*===- kvd.c - a small multi-threaded key-value daemon ----------*- C -*-===*
 *
 * The akeso example program.  kvd serves a line protocol on a Unix-domain
 * stream socket with a pool of worker threads sharing one chained hash table.
 *
 * Every command is executed by handle_request(), which kvd.yaml declares a
 * basic recovery domain with error value -1.  The code below is ordinary C:
 * it updates the table, frees replaced strings, allocates new entries and
 * bumps global counters.  When an MSET meets the value POISON it calls
 * akeso_fault() half-way through its updates; the akeso runtime then undoes
 * every write the request made and handle_request() returns -1, which the
 * worker answers with "ERR request rolled back" before serving on.
 *
 *   usage: kvd [-t THREADS] SOCKET_PATH
 *
 * Protocol: one command per line, tokens separated by blanks; keys and values
 * are single tokens.  Every reply is one line except DUMP's.
 *
 *   SET k v              -> OK
 *   GET k                -> VALUE v | NOT_FOUND
 *   DEL k                -> DELETED | NOT_FOUND
 *   MSET k1 v1 k2 v2 ... -> OK <pairs>   (the value POISON faults mid-update)
 *   COUNT                -> COUNT <keys>
 *   DIGEST               -> DIGEST <16 hex digits> <keys>
 *   DUMP                 -> k=v lines sorted by key, then END
 *   STATS                -> STATS keys=.. total_updates=.. requests=..
 *                           rolled_back=.. last_key=..
 *   SHUTDOWN             -> OK shutting down   (the daemon exits)
 *   anything malformed   -> ERR <reason>
 *
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L

#include <akeso/akeso.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum {
  NBUCKETS = 1024,
  KEY_MAX = 250,           /* longest key accepted */
  KVD_LINE_MAX = 4096,     /* longest request line accepted */
  MAX_ARGS = 128,          /* most tokens after the command */
  REPLY_MAX = 64 * 1024,   /* largest reply (DUMP) */
  QUEUE_CAP = 64,          /* accepted connections waiting for a worker */
  MAX_WORKERS = 64
};

/*===------------------------------------------------------------------===*
 * The shared table.  Everything here is protected by table_lock, which the
 * workers hold around handle_request().
 *===------------------------------------------------------------------===*/

struct entry {
  struct entry *next;
  char *key;   /* malloc'ed */
  char *value; /* malloc'ed */
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *buckets[NBUCKETS];
static size_t key_count;
static unsigned long long total_updates; /* keys written or deleted */
static char last_key[KEY_MAX + 1];       /* the key most recently updated */

/* Worker bookkeeping, also under table_lock but outside the domain. */
static unsigned long long requests_served;
static unsigned long long requests_rolled_back;

enum command {
  CMD_SET, CMD_GET, CMD_DEL, CMD_MSET, CMD_COUNT,
  CMD_DIGEST, CMD_DUMP, CMD_STATS, CMD_SHUTDOWN
};

/* A parsed request; argv points into the worker's line buffer. */
struct request {
  enum command cmd;
  int argc;
  char *argv[MAX_ARGS];
};

/* The reply handle_request() builds.  It lives on the worker's stack, so
 * the domain's writes to it are escaped-stack writes that akeso restores. */
struct reply {
  size_t len;
  int overflow;      /* text did not fit */
  int shutdown;      /* the daemon should stop after sending the reply */
  unsigned changed;  /* pairs applied so far by MSET */
  char text[REPLY_MAX];
};

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const char *s) {
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= FNV_PRIME;
  }
  return h;
}

static void reply_char(struct reply *out, char c) {
  if (out->len < sizeof out->text)
    out->text[out->len++] = c;
  else
    out->overflow = 1;
}

static void reply_str(struct reply *out, const char *s) {
  while (*s)
    reply_char(out, *s++);
}

static void reply_u64(struct reply *out, unsigned long long v) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    reply_char(out, digits[--n]);
}

static void reply_hex64(struct reply *out, uint64_t v) {
  static const char hex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4)
    reply_char(out, hex[(v >> shift) & 0xf]);
}

static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p)
    akeso_fault("out of memory");
  memcpy(p, s, n);
  return p;
}

/* The link that points, or would point, at the entry for key. */
static struct entry **find_slot(const char *key) {
  struct entry **slot = &buckets[fnv1a(FNV_OFFSET, key) % NBUCKETS];
  while (*slot && strcmp((*slot)->key, key) != 0)
    slot = &(*slot)->next;
  return slot;
}

static void note_update(const char *key) {
  size_t i = 0;
  total_updates++;
  for (; key[i] && i < KEY_MAX; i++)
    last_key[i] = key[i];
  last_key[i] = '\0';
}

static void table_set(const char *key, const char *value) {
  struct entry **slot = find_slot(key);
  char *copy = copy_string(value);
  if (*slot) {
    free((*slot)->value);
    (*slot)->value = copy;
  } else {
    struct entry *e = malloc(sizeof *e);
    if (!e)
      akeso_fault("out of memory");
    e->next = NULL;
    e->key = copy_string(key);
    e->value = copy;
    *slot = e;
    key_count++;
  }
  note_update(key);
}

static int table_del(const char *key) {
  struct entry **slot = find_slot(key);
  struct entry *e = *slot;
  if (!e)
    return 0;
  *slot = e->next;
  free(e->key);
  free(e->value);
  free(e);
  key_count--;
  note_update(key);
  return 1;
}

/* Order-independent: the sum of the FNV-1a hashes of "key=value". */
static uint64_t table_digest(void) {
  uint64_t sum = 0;
  for (size_t b = 0; b < NBUCKETS; b++)
    for (struct entry *e = buckets[b]; e; e = e->next)
      sum += fnv1a(fnv1a(fnv1a(FNV_OFFSET, e->key), "="), e->value);
  return sum;
}

static void sort_entries(struct entry **v, struct entry **tmp, size_t n) {
  if (n < 2)
    return;
  size_t half = n / 2, i = 0, j = half, k = 0;
  sort_entries(v, tmp, half);
  sort_entries(v + half, tmp, n - half);
  while (i < half && j < n)
    tmp[k++] = strcmp(v[j]->key, v[i]->key) < 0 ? v[j++] : v[i++];
  while (i < half)
    tmp[k++] = v[i++];
  while (j < n)
    tmp[k++] = v[j++];
  for (k = 0; k < n; k++)
    v[k] = tmp[k];
}

static void table_dump(struct reply *out) {
  if (key_count > 0) {
    struct entry **v = malloc(2 * key_count * sizeof *v);
    if (!v)
      akeso_fault("out of memory");
    size_t n = 0;
    for (size_t b = 0; b < NBUCKETS; b++)
      for (struct entry *e = buckets[b]; e; e = e->next)
        v[n++] = e;
    sort_entries(v, v + n, n);
    for (size_t i = 0; i < n; i++) {
      reply_str(out, v[i]->key);
      reply_char(out, '=');
      reply_str(out, v[i]->value);
      reply_char(out, '\n');
    }
    free(v);
  }
  reply_str(out, "END\n");
}

/* The recovery domain (kvd.yaml): executes one request against the table and
 * writes the reply into *out.  Returns 0, or -1 when akeso rolled it back. */
int handle_request(struct request *req, struct reply *out) {
  switch (req->cmd) {
  case CMD_SET:
    table_set(req->argv[0], req->argv[1]);
    reply_str(out, "OK\n");
    break;
  case CMD_GET: {
    struct entry *e = *find_slot(req->argv[0]);
    if (e) {
      reply_str(out, "VALUE ");
      reply_str(out, e->value);
      reply_char(out, '\n');
    } else {
      reply_str(out, "NOT_FOUND\n");
    }
    break;
  }
  case CMD_DEL:
    reply_str(out, table_del(req->argv[0]) ? "DELETED\n" : "NOT_FOUND\n");
    break;
  case CMD_MSET:
    for (int i = 0; i + 1 < req->argc; i += 2) {
      if (strcmp(req->argv[i + 1], "POISON") == 0)
        akeso_fault("poisoned value in MSET");
      table_set(req->argv[i], req->argv[i + 1]);
      out->changed++;
    }
    reply_str(out, "OK ");
    reply_u64(out, out->changed);
    reply_char(out, '\n');
    break;
  case CMD_COUNT:
    reply_str(out, "COUNT ");
    reply_u64(out, key_count);
    reply_char(out, '\n');
    break;
  case CMD_DIGEST:
    reply_str(out, "DIGEST ");
    reply_hex64(out, table_digest());
    reply_char(out, ' ');
    reply_u64(out, key_count);
    reply_char(out, '\n');
    break;
  case CMD_DUMP:
    table_dump(out);
    break;
  case CMD_STATS:
    reply_str(out, "STATS keys=");
    reply_u64(out, key_count);
    reply_str(out, " total_updates=");
    reply_u64(out, total_updates);
    reply_str(out, " requests=");
    reply_u64(out, requests_served);
    reply_str(out, " rolled_back=");
    reply_u64(out, requests_rolled_back);
    reply_str(out, " last_key=");
    reply_str(out, last_key[0] ? last_key : "-");
    reply_char(out, '\n');
    break;
  case CMD_SHUTDOWN:
    reply_str(out, "OK shutting down\n");
    out->shutdown = 1;
    break;
  }
  if (out->overflow) {
    out->len = 0;
    out->overflow = 0;
    reply_str(out, "ERR reply too large\n");
  }
  return 0;
}

static void table_free(void) {
  for (size_t b = 0; b < NBUCKETS; b++) {
    struct entry *e = buckets[b];
    while (e) {
      struct entry *next = e->next;
      free(e->key);
      free(e->value);
      free(e);
      e = next;
    }
    buckets[b] = NULL;
  }
  key_count = 0;
}

/*===------------------------------------------------------------------===*
 * Request parsing, done by the worker outside the domain.
 *===------------------------------------------------------------------===*/

static const struct { /* in the order of enum command */
  const char *name;
  enum command cmd;
  int min_args, max_args;
} commands[] = {
    {"SET", CMD_SET, 2, 2},          {"GET", CMD_GET, 1, 1},
    {"DEL", CMD_DEL, 1, 1},          {"MSET", CMD_MSET, 2, MAX_ARGS},
    {"COUNT", CMD_COUNT, 0, 0},      {"DIGEST", CMD_DIGEST, 0, 0},
    {"DUMP", CMD_DUMP, 0, 0},        {"STATS", CMD_STATS, 0, 0},
    {"SHUTDOWN", CMD_SHUTDOWN, 0, 0},
};

/* Returns 1 for a request, 0 for a blank line, -1 with err set otherwise. */
static int parse_request(char *line, struct request *req, char *err,
                         size_t errsize) {
  char *save = NULL;
  char *name = strtok_r(line, " \t\r", &save);
  if (!name)
    return 0;
  size_t c = 0;
  while (c < sizeof commands / sizeof commands[0] &&
         strcasecmp(commands[c].name, name) != 0)
    c++;
  if (c == sizeof commands / sizeof commands[0]) {
    snprintf(err, errsize, "unknown command '%.40s'", name);
    return -1;
  }
  req->cmd = commands[c].cmd;
  req->argc = 0;
  for (char *tok; (tok = strtok_r(NULL, " \t\r", &save));) {
    if (req->argc == MAX_ARGS) {
      snprintf(err, errsize, "too many arguments (at most %d)", MAX_ARGS);
      return -1;
    }
    req->argv[req->argc++] = tok;
  }
  if (req->argc < commands[c].min_args || req->argc > commands[c].max_args ||
      (req->cmd == CMD_MSET && req->argc % 2 != 0)) {
    snprintf(err, errsize, "wrong number of arguments for %s",
             commands[c].name);
    return -1;
  }
  /* Keys are the even arguments of MSET and the first of SET/GET/DEL. */
  int step = req->cmd == CMD_MSET ? 2 : MAX_ARGS;
  for (int i = 0; i < req->argc; i += step)
    if (strlen(req->argv[i]) > KEY_MAX) {
      snprintf(err, errsize, "key too long (at most %d bytes)", KEY_MAX);
      return -1;
    }
  return 1;
}

/*===------------------------------------------------------------------===*
 * Connections, workers, shutdown.
 *===------------------------------------------------------------------===*/

/* Written once to stop everything: readable from then on, never drained. */
static int wake_pipe[2] = {-1, -1};

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cond = PTHREAD_COND_INITIALIZER;
static int queue_fds[QUEUE_CAP];
static size_t queue_head, queue_len;
static int stopping;

static void request_shutdown(void) {
  ssize_t r = write(wake_pipe[1], "x", 1);
  (void)r; /* a full pipe is already readable */
}

static void on_signal(int sig) {
  (void)sig;
  int saved = errno;
  request_shutdown();
  errno = saved;
}

static int send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int send_str(int fd, const char *s) { return send_all(fd, s, strlen(s)); }

/* Runs one request line.  Returns non-zero when the connection should end. */
static int process_line(int fd, char *line) {
  struct request req;
  struct reply reply;
  char err[128];
  int parsed = parse_request(line, &req, err, sizeof err);
  if (parsed == 0)
    return 0;
  if (parsed < 0)
    return send_str(fd, "ERR ") < 0 || send_str(fd, err) < 0 ||
           send_str(fd, "\n") < 0;

  reply.len = 0;
  reply.overflow = 0;
  reply.shutdown = 0;
  reply.changed = 0;

  pthread_mutex_lock(&table_lock);
  requests_served++;
  int rc = handle_request(&req, &reply);
  if (rc == -1)
    requests_rolled_back++;
  pthread_mutex_unlock(&table_lock);

  if (rc == -1) {
    fprintf(stderr, "kvd: request rolled back (%s with %d arguments)\n",
            commands[req.cmd].name, req.argc);
    /* reply is on this stack and was written before the fault: akeso must
     * have put it back the way it was when the domain began. */
    if (reply.len != 0 || reply.changed != 0)
      fprintf(stderr, "kvd: warning: reply buffer not restored by rollback\n");
    return send_str(fd, "ERR request rolled back\n") < 0;
  }
  if (send_all(fd, reply.text, reply.len) < 0)
    return 1;
  if (reply.shutdown) {
    request_shutdown();
    return 1;
  }
  return 0;
}

static void serve_connection(int fd) {
  char buf[KVD_LINE_MAX];
  size_t have = 0;
  for (;;) {
    char *nl;
    while ((nl = memchr(buf, '\n', have))) {
      size_t used = (size_t)(nl - buf) + 1;
      *nl = '\0';
      int done = process_line(fd, buf);
      memmove(buf, buf + used, have - used);
      have -= used;
      if (done)
        return;
    }
    if (have == sizeof buf) {
      send_str(fd, "ERR line too long\n");
      return;
    }
    struct pollfd p[2] = {{fd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return;
    }
    if (p[1].revents)
      return; /* shutting down */
    ssize_t r = read(fd, buf + have, sizeof buf - have);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return; /* closed by the client, or an error */
    have += (size_t)r;
  }
}

static void *worker_main(void *arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&queue_lock);
    while (queue_len == 0 && !stopping)
      pthread_cond_wait(&queue_cond, &queue_lock);
    if (stopping) {
      pthread_mutex_unlock(&queue_lock);
      break;
    }
    int fd = queue_fds[queue_head];
    queue_head = (queue_head + 1) % QUEUE_CAP;
    queue_len--;
    pthread_mutex_unlock(&queue_lock);

    serve_connection(fd);
    close(fd);
  }
  return NULL;
}

/* A socket file nobody listens on any more (a kvd that was killed). */
static int is_stale_socket(const struct sockaddr_un *addr) {
  struct stat st;
  if (lstat(addr->sun_path, &st) != 0 || !S_ISSOCK(st.st_mode))
    return 0;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0)
    return 0;
  int stale = connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 &&
              errno == ECONNREFUSED;
  close(fd);
  return stale;
}

static void usage(void) {
  fprintf(stderr, "usage: kvd [-t THREADS] SOCKET_PATH\n");
  exit(1);
}

int main(int argc, char **argv) {
  int nworkers = 4;
  for (int opt; (opt = getopt(argc, argv, "t:h")) != -1;) {
    if (opt != 't')
      usage();
    char *end;
    long n = strtol(optarg, &end, 10);
    if (*optarg == '\0' || *end != '\0' || n < 1 || n > MAX_WORKERS) {
      fprintf(stderr, "kvd: -t wants a thread count from 1 to %d\n",
              MAX_WORKERS);
      exit(1);
    }
    nworkers = (int)n;
  }
  if (optind != argc - 1)
    usage();
  const char *path = argv[optind];

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) {
    fprintf(stderr, "kvd: socket path too long (%zu bytes, at most %zu): %s\n",
            strlen(path), sizeof addr.sun_path - 1, path);
    exit(1);
  }
  memcpy(addr.sun_path, path, strlen(path) + 1);

  int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (lfd < 0) {
    fprintf(stderr, "kvd: socket: %s\n", strerror(errno));
    exit(1);
  }
  int rc = bind(lfd, (struct sockaddr *)&addr, sizeof addr);
  if (rc != 0 && errno == EADDRINUSE && is_stale_socket(&addr)) {
    fprintf(stderr, "kvd: removing stale socket %s\n", path);
    unlink(path);
    rc = bind(lfd, (struct sockaddr *)&addr, sizeof addr);
  }
  if (rc != 0) {
    fprintf(stderr, "kvd: cannot bind %s: %s\n", path, strerror(errno));
    close(lfd);
    exit(1);
  }
  if (listen(lfd, 64) != 0 || pipe(wake_pipe) != 0 ||
      fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK) != 0) {
    fprintf(stderr, "kvd: cannot listen on %s: %s\n", path, strerror(errno));
    close(lfd);
    unlink(path);
    exit(1);
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  pthread_t workers[MAX_WORKERS];
  int started = 0;
  for (; started < nworkers; started++) {
    int err = pthread_create(&workers[started], NULL, worker_main, NULL);
    if (err != 0) {
      fprintf(stderr, "kvd: cannot start worker thread: %s\n", strerror(err));
      request_shutdown();
      break;
    }
  }
  fprintf(stderr, "kvd: serving %s with %d worker threads\n", path, started);

  /* The acceptor: hand each connection to a worker until told to stop. */
  for (;;) {
    struct pollfd p[2] = {{lfd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      fprintf(stderr, "kvd: poll: %s\n", strerror(errno));
      break;
    }
    if (p[1].revents)
      break;
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
      continue; /* EINTR, ECONNABORTED, EMFILE: keep serving */
    pthread_mutex_lock(&queue_lock);
    int queued = queue_len < QUEUE_CAP;
    if (queued) {
      queue_fds[(queue_head + queue_len) % QUEUE_CAP] = fd;
      queue_len++;
      pthread_cond_signal(&queue_cond);
    }
    pthread_mutex_unlock(&queue_lock);
    if (!queued) {
      send_str(fd, "ERR server busy\n");
      close(fd);
    }
  }

  /* Clean shutdown: stop the workers, close every descriptor. */
  pthread_mutex_lock(&queue_lock);
  stopping = 1;
  pthread_cond_broadcast(&queue_cond);
  pthread_mutex_unlock(&queue_lock);
  for (int i = 0; i < started; i++)
    pthread_join(workers[i], NULL);
  for (; queue_len > 0; queue_len--, queue_head = (queue_head + 1) % QUEUE_CAP)
    close(queue_fds[queue_head]);
  close(lfd);
  unlink(path);
  close(wake_pipe[0]);
  close(wake_pipe[1]);

  fprintf(stderr,
          "kvd: shut down: %llu requests served, %llu rolled back, "
          "%zu keys, %llu updates\n",
          requests_served, requests_rolled_back, key_count, total_updates);
  table_free();
  exit(0);
}
