// The loop vectoriser turns indexed stores into AVX-512 scatters (and
// masked stores for loop tails); their lanes are logged and undone.
// REQUIRES: avx512
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O3 -march=x86-64-v4 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O3 -march=x86-64-v4 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// IR: call void @llvm.masked.scatter
#include <akeso/akeso.h>
#include <stdio.h>

#define N 4096
int table[N];
int idx[1024];

int handle_request(int n, int v) {
  for (int i = 0; i < n; i++)
    table[idx[i]] = v + i;
  akeso_fault("undo the scatter");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < 1024; i++)
    idx[i] = (i * 37) % N;
  int r = handle_request(1000, 7);
  long sum = 0;
  for (int i = 0; i < N; i++)
    sum += table[i];
  // CHECK: r=-1 sum=0
  printf("r=%d sum=%ld\n", r, sum);
  return 0;
}
