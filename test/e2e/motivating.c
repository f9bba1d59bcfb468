// The motivating example of 004 §2, end to end: a request handler computes
// a buffer size as count * size in int arithmetic; a hostile count makes it
// overflow, the allocation is too small, and the copy that follows writes
// out of bounds.  The checker (UBSan for the overflow, ASan for the write,
// whichever fires first) raises the fault; the request fails with its error
// value; the table and the other clients' requests are unaffected.
// RUN: %akeso-cc -g -fsanitize=address,signed-integer-overflow -Wno-backend-plugin --akeso-annotations=%S/Inputs/triggers.yaml -O1 %s -o %t
// RUN: env ASAN_OPTIONS=detect_leaks=0 %t 2>&1 | FileCheck %s
// RUN: %akeso-cc -g -fsanitize=address -Wno-backend-plugin --akeso-annotations=%S/Inputs/triggers.yaml -O1 %s -o %t.asan
// RUN: env ASAN_OPTIONS=detect_leaks=0 %t.asan 2>&1 | FileCheck %s --check-prefix=ASAN
#include <akeso/akeso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record {
  int count;
  short *items;
};
static struct record table[8];
static long served;

// Stores count items, each the item's index, into slot.
int handle_request(int slot, int count) {
  served++;
  int bytes = count * (int)sizeof(short); // overflows for a large count
  short *items = malloc((size_t)(unsigned)bytes % 4096);
  for (int i = 0; i < 64 && i < count; i++)
    items[i] = (short)i;
  free(table[slot].items);
  table[slot].items = items;
  table[slot].count = count;
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int client = 0; client < 4; client++)
    handle_request(client, 16 + client);
  // CHECK: akeso: fault in domain 'handle_request' {{.*}}: UndefinedBehaviorSanitizer: signed-integer-overflow{{.*}}; rolled back
  // ASAN: ERROR: AddressSanitizer: heap-buffer-overflow
  // ASAN: akeso: fault in domain 'handle_request' {{.*}}: AddressSanitizer: heap-buffer-overflow{{.*}}; rolled back
  int r = handle_request(2, 0x40000001);
  printf("hostile request: %d\n", r);
  // CHECK: hostile request: -1
  // ASAN: hostile request: -1
  for (int client = 0; client < 4; client++)
    handle_request(client + 4, 20 + client);
  int intact = 1;
  for (int slot = 0; slot < 8; slot++)
    for (int i = 0; i < table[slot].count; i++)
      intact &= table[slot].items[i] == i;
  // CHECK: served=8 slot2.count=18 intact=1
  // ASAN: served=8 slot2.count=18 intact=1
  printf("served=%ld slot2.count=%d intact=%d\n", served, table[2].count,
         intact);
  return 0;
}
