// With _FORTIFY_SOURCE (on by default in distributions' builds) string and
// formatting calls become glibc's __*_chk functions; their writes are
// undone like the plain ones, and so are sprintf's.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 -D_FORTIFY_SOURCE=2 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O0 %s -o %t0
// RUN: %t0 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char name[32] = "old-name";
char line[64] = "old-line";
char formatted[64] = "old-formatted";
char copied[16] = "old-copied";
char received[16] = "old-received";

int handle_request(const char *who, int n, int fd) {
  strcpy(name, who);
  snprintf(line, sizeof line, "request %d from %s", n, who);
  sprintf(formatted, "%s/%d/%s", who, n, who);
  memcpy(copied, who, strlen(who) + 1 > sizeof copied ? sizeof copied : strlen(who) + 1);
  read(fd, received, sizeof received);
  akeso_fault("reject");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  write(fds[1], "from-the-pipe", 14);
  int r = handle_request("mallory", 7, fds[0]);
  // CHECK: r=-1 name=old-name line=old-line formatted=old-formatted copied=old-copied received=old-received
  printf("r=%d name=%s line=%s formatted=%s copied=%s received=%s\n", r, name,
         line, formatted, copied, received);
  return 0;
}
