// A domain running on a coroutine's stack (ucontext): the frames between the
// fault and the landing pad are on that stack, and rollback must not write
// into them while it runs there.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O0 %s -o %t0
// RUN: %t0 2>&1 | FileCheck %s
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 %s -o %t2
// RUN: %t2 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static ucontext_t main_context, coroutine_context;
long total;

// Dirties a deep stack frame that is dead by the time the fault comes.
__attribute__((noinline)) void fill(volatile long *p, int n) {
  for (int i = 0; i < n; i++)
    p[i] = 0x4141414141414141L;
}
__attribute__((noinline)) void scratch(void) {
  long buf[1024];
  fill(buf, 1024);
}

int coroutine_request(int x) {
  total += x;
  scratch();
  if (x)
    akeso_fault("bad request");
  return 0;
}

static void coroutine_main(void) {
  int r = coroutine_request(5);
  printf("coroutine: r=%d total=%ld\n", r, total);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  size_t size = 1 << 20;
  char *stack = malloc(size);
  getcontext(&coroutine_context);
  coroutine_context.uc_stack.ss_sp = stack;
  coroutine_context.uc_stack.ss_size = size;
  coroutine_context.uc_link = &main_context;
  makecontext(&coroutine_context, coroutine_main, 0);
  swapcontext(&main_context, &coroutine_context);
  // CHECK: coroutine: r=-1 total=0
  // CHECK: back in main
  printf("back in main\n");
  free(stack);
  return 0;
}
