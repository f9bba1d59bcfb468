// A faulting request's writes to globals, heap and the caller's stack are
// undone, and the caller sees the declared error value.
// RUN: %akeso-cc --akeso-annotations=%S/Inputs/requests.yaml -O0 %s -o %t0
// RUN: %t0 2>&1 | FileCheck %s
// RUN: %akeso-cc --akeso-annotations=%S/Inputs/requests.yaml -O2 %s -o %t2
// RUN: %t2 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct account {
  long balance;
  char owner[24];
};

long total;                    // a global
struct account *accounts;      // heap
static int served;             // a file-static

int handle_request(int from, int to, long amount, char *note) {
  accounts[from].balance -= amount;
  total -= amount;
  strcpy(note, "debited");      // the caller's stack
  if (amount > 100)
    akeso_fault("amount over limit");
  accounts[to].balance += amount;
  total += amount;
  strcpy(note, "done");
  served++;
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); // keep order with the runtime's stderr
  accounts = calloc(2, sizeof(struct account));
  accounts[0].balance = 500;
  accounts[1].balance = 500;
  strcpy(accounts[0].owner, "alice");
  total = 1000;
  char note[16] = "untouched";

  int r = handle_request(0, 1, 50, note);
  // CHECK: ok: r=0 a=450 b=550 total=1000 served=1 note=done
  printf("ok: r=%d a=%ld b=%ld total=%ld served=%d note=%s\n", r,
         accounts[0].balance, accounts[1].balance, total, served, note);

  strcpy(note, "before");
  r = handle_request(0, 1, 200, note);
  // CHECK: akeso: fault in domain 'handle_request'{{.*}}: amount over limit at {{.*}}rollback-state.c:{{[0-9]+}} in handle_request; rolled back
  // CHECK: faulted: r=-1 a=450 b=550 total=1000 served=1 note=before
  printf("faulted: r=%d a=%ld b=%ld total=%ld served=%d note=%s\n", r,
         accounts[0].balance, accounts[1].balance, total, served, note);

  // The program goes on normally after a rollback.
  r = handle_request(1, 0, 25, note);
  // CHECK: after: r=0 a=475 b=525 total=1000 served=2 note=done
  printf("after: r=%d a=%ld b=%ld total=%ld served=%d note=%s\n", r,
         accounts[0].balance, accounts[1].balance, total, served, note);
  fflush(stdout);
  free(accounts);
  return 0;
}
