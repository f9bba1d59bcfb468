// Every return type gets the error value its annotation declares, converted
// to that type; void functions just return.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O1 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>
#include <stdbool.h>
#include <stdio.h>

struct big { long a, b, c, d; };
int hits;

int ret_int(int fault) { hits++; if (fault) akeso_fault("int"); return 7; }
unsigned char ret_uchar(int fault) { hits++; if (fault) akeso_fault("uchar"); return 9; }
void *ret_ptr(int fault) { hits++; if (fault) akeso_fault("ptr"); return &hits; }
double ret_double(int fault) { hits++; if (fault) akeso_fault("double"); return 1.25; }
bool ret_bool(int fault) { hits++; if (fault) akeso_fault("bool"); return true; }
void ret_void(int fault, int *out) { *out = 1; hits++; if (fault) akeso_fault("void"); }
// Returned through a hidden pointer (sret): the function is void in IR.
struct big ret_struct(int fault) {
  struct big b = {1, 2, 3, 4};
  hits++;
  if (fault) akeso_fault("struct");
  return b;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int out = 0;
  // CHECK: normal: 7 9 1 1.25 1 out=1 big=1
  printf("normal: %d %d %d %.2f %d", ret_int(0), ret_uchar(0), ret_ptr(0) == &hits,
         ret_double(0), ret_bool(0));
  ret_void(0, &out);
  printf(" out=%d big=%ld\n", out, ret_struct(0).a);
  hits = 0;
  out = 0;
  int i = ret_int(1);
  int u = ret_uchar(1);
  void *p = ret_ptr(1);
  double d = ret_double(1);
  bool b = ret_bool(1);
  ret_void(1, &out);
  // CHECK: faulted: 0 0 (nil) -2.50 0 out=0 hits=0
  printf("faulted: %d %d %p %.2f %d out=%d hits=%d\n", i, u, p, d, b, out, hits);
  return 0;
}
