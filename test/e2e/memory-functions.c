// Writes that do not look like stores are undone too: memcpy/memmove/memset
// (as intrinsics and as libc calls), struct copies, string functions,
// vectorised loops and atomic operations.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O0 %s -o %t0
// RUN: %t0 2>&1 | FileCheck %s
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O3 -march=x86-64-v3 -fno-builtin %s -o %t3
// RUN: %t3 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

struct record { char name[32]; long values[8]; };

struct record rec = {"original", {1, 2, 3, 4, 5, 6, 7, 8}};
struct record spare = {"spare", {0}};
int big[1024];
char text[64] = "hello";
atomic_long counter = 100;
long flag;
long lock_word;

int handle_request(const char *name, int mode) {
  memcpy(rec.name, name, strlen(name) + 1);
  memset(rec.values, 0xff, sizeof(rec.values));
  memmove(&big[1], &big[0], 100 * sizeof(int));
  spare = rec;                                   // struct copy
  for (int i = 0; i < 1024; i++)                 // vectorised at -O3
    big[i] = big[i] * 3 + mode;
  strcpy(text, name);
  strcat(text, "-suffix");
  atomic_fetch_add(&counter, 5);
  long expected = 0;
  __atomic_compare_exchange_n(&flag, &expected, 42, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  __atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE);
  akeso_fault("undo all of it");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < 1024; i++)
    big[i] = i;
  int r = handle_request("replaced-name", 7);
  long sum = 0;
  for (int i = 0; i < 1024; i++)
    sum += big[i];
  // CHECK: r=-1 name=original v0=1 v7=8 spare=spare big-sum=523776 text=hello counter=100 flag=0 lock=0
  printf("r=%d name=%s v0=%ld v7=%ld spare=%s big-sum=%ld text=%s counter=%ld "
         "flag=%ld lock=%ld\n",
         r, rec.name, rec.values[0], rec.values[7], spare.name, sum, text,
         (long)atomic_load(&counter), flag, lock_word);
  return 0;
}
