/*===- kv-client.c - a line client for kvd ----------------------*- C -*-===*
 *
 *   usage: kv-client SOCKET_PATH [COMMAND...]
 *
 * Sends each COMMAND (one argument is one command line), or with none each
 * line of standard input, to the kvd listening on SOCKET_PATH over a single
 * connection, and prints a transcript: "> COMMAND" followed by the reply
 * lines.  A DUMP reply runs up to its END line; every other reply is a line.
 *
 * Exit status: 0 on success, 1 if the connection cannot be made, 2 if the
 * server closed the connection before a reply was complete.
 *
 *===----------------------------------------------------------------------===*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *socket_path;
static FILE *from_server;
static char *reply_line;
static size_t reply_cap;

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

/* Reads one reply line without its newline; 0 at end of connection. */
static int read_reply_line(void) {
  ssize_t n = getline(&reply_line, &reply_cap, from_server);
  if (n <= 0)
    return 0;
  if (reply_line[n - 1] == '\n')
    reply_line[--n] = '\0';
  return 1;
}

/* Whether the command's first word is DUMP, whose reply ends with END. */
static int is_dump(const char *cmd) {
  size_t skip = strspn(cmd, " \t");
  size_t len = strcspn(cmd + skip, " \t\r\n");
  return len == 4 && strncasecmp(cmd + skip, "DUMP", 4) == 0;
}

/* Sends one command and prints its transcript.  Returns 0, or 2 when the
 * server went away. */
static int run_command(int fd, const char *cmd) {
  size_t len = strcspn(cmd, "\r\n");
  if (strspn(cmd, " \t") >= len)
    return 0; /* blank: the server would not answer */
  printf("> %.*s\n", (int)len, cmd);
  if (send_all(fd, cmd, len) < 0 || send_all(fd, "\n", 1) < 0) {
    fprintf(stderr, "kv-client: cannot send to %s: %s\n", socket_path,
            strerror(errno));
    return 2;
  }
  int multi = is_dump(cmd);
  for (;;) {
    if (!read_reply_line()) {
      fflush(stdout);
      fprintf(stderr, "kv-client: connection closed by the server\n");
      return 2;
    }
    printf("%s\n", reply_line);
    if (!multi || strcmp(reply_line, "END") == 0 ||
        strncmp(reply_line, "ERR ", 4) == 0)
      break;
  }
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: kv-client SOCKET_PATH [COMMAND...]\n");
    return 1;
  }
  socket_path = argv[1];
  signal(SIGPIPE, SIG_IGN);

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(socket_path) >= sizeof addr.sun_path) {
    fprintf(stderr, "kv-client: socket path too long: %s\n", socket_path);
    return 1;
  }
  memcpy(addr.sun_path, socket_path, strlen(socket_path) + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    fprintf(stderr, "kv-client: cannot connect to %s: %s\n", socket_path,
            strerror(errno));
    if (fd >= 0)
      close(fd);
    return 1;
  }
  int rfd = dup(fd);
  from_server = rfd >= 0 ? fdopen(rfd, "r") : NULL;
  if (!from_server) {
    fprintf(stderr, "kv-client: %s\n", strerror(errno));
    if (rfd >= 0)
      close(rfd);
    close(fd);
    return 1;
  }

  int status = 0;
  if (argc > 2) {
    for (int i = 2; i < argc && status == 0; i++)
      status = run_command(fd, argv[i]);
  } else {
    char *line = NULL;
    size_t cap = 0;
    while (status == 0 && getline(&line, &cap, stdin) > 0)
      status = run_command(fd, line);
    free(line);
  }

  free(reply_line);
  fclose(from_server);
  close(fd);
  return status;
}
