// AddressSanitizer as the trigger (issue #4): an out-of-bounds write and a
// use-after-free inside a request are reported by ASan and roll the request
// back instead of ending the process, twice in a row and again at the same
// place; the checker's report still appears, and the daemon's state and
// its next requests are unaffected.  akeso-cc adds -fsanitize-recover=address.
// RUN: %akeso-cc -g -fsanitize=address -Wno-backend-plugin --akeso-annotations=%S/Inputs/triggers.yaml -O1 %s -o %t
// RUN: env ASAN_OPTIONS=detect_leaks=0 %t 2>&1 | FileCheck %s
// RUN: env ASAN_OPTIONS=detect_leaks=0 AKESO_OPTIONS=on_fault=report %t 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: ERROR: AddressSanitizer: heap-buffer-overflow
// REPORT: akeso: AddressSanitizer error in domain 'store_entry': heap-buffer-overflow; continuing (on_fault=report)
// REPORT-NOT: rolled back
// REPORT: overflow 1: 0
#include <akeso/akeso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char name[16];
  long hits;
};
static struct entry *table[4];
static long requests;

// Copies name into a fresh entry of size bytes; a name longer than the
// entry overflows it.
int store_entry(int slot, const char *name, size_t size) {
  requests++;
  struct entry *e = malloc(size);
  memset(e, 0, size);
  for (size_t i = 0; name[i]; i++)
    e->name[i] = name[i];
  e->hits = 1;
  free(table[slot]);
  table[slot] = e;
  return 0;
}

int store_touch(int slot, struct entry *stale) {
  requests++;
  stale->hits++; // use-after-free when stale was replaced
  table[slot]->hits++;
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("ok: %d\n", store_entry(0, "alpha", sizeof(struct entry)));
  // CHECK: ok: 0
  // CHECK: ERROR: AddressSanitizer: heap-buffer-overflow
  // CHECK: akeso: fault in domain 'store_entry' {{.*}}: AddressSanitizer: heap-buffer-overflow{{.*}}; rolled back
  // CHECK: overflow 1: -1
  printf("overflow 1: %d\n", store_entry(1, "much-too-long-name", 8));
  // CHECK: ERROR: AddressSanitizer: heap-buffer-overflow
  // CHECK: akeso: fault in domain 'store_entry' {{.*}}; rolled back
  // CHECK: overflow 2: -1
  printf("overflow 2: %d\n", store_entry(1, "another-long-name", 8));
  struct entry *stale = table[0];
  printf("replace: %d\n", store_entry(0, "beta", sizeof(struct entry)));
  // CHECK: replace: 0
  // CHECK: ERROR: AddressSanitizer: heap-use-after-free
  // CHECK: akeso: fault in domain 'store_touch' {{.*}}: AddressSanitizer: heap-use-after-free{{.*}}; rolled back
  // CHECK: use after free: -1
  printf("use after free: %d\n", store_touch(0, stale));
  // CHECK: state: requests=2 slot0=beta hits=1 slot1=empty
  printf("state: requests=%ld slot0=%s hits=%ld slot1=%s\n", requests,
         table[0]->name, table[0]->hits, table[1] ? table[1]->name : "empty");
  return 0;
}
