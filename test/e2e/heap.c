// Memory a rolled-back domain freed is still valid afterwards (the free was
// deferred to a commit that never came) and memory it allocated is released
// again.  AddressSanitizer watches for use-after-free, double free and
// leaks.
// RUN: %akeso-cc -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O1 -fsanitize=address %s -o %t
// RUN: env ASAN_OPTIONS=detect_leaks=1 %t 2>&1 | FileCheck %s
#define _GNU_SOURCE
#include <akeso/akeso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { char *value; struct node *next; };
struct node *list;
void *aligned;    // set by posix_memalign through a pointer
int *numbers;     // grown with reallocarray

// Replaces the head's value, pushes a new node, then maybe faults.
int handle_request(const char *value, int fault) {
  char *old = list->value;
  list->value = strdup(value);
  free(old);
  struct node *n = malloc(sizeof *n);
  n->value = strdup(value);
  n->next = list;
  list = n;
  char *grown = realloc(list->next->value, 64);
  strcat(grown, "!");
  list->next->value = grown;
  free(aligned);
  if (posix_memalign(&aligned, 64, 256) != 0)
    return -2;
  numbers = reallocarray(numbers, 1000, sizeof *numbers);
  numbers[999] = 7;
  if (fault)
    akeso_fault("reject value");
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  list = calloc(1, sizeof *list);
  list->value = strdup("first");
  posix_memalign(&aligned, 64, 128);
  numbers = calloc(10, sizeof *numbers);
  int r = handle_request("second", 1);
  // CHECK: fault in domain 'handle_request'
  // CHECK: rolled back: r=-1 head=first next=(nil)
  printf("rolled back: r=%d head=%s next=%p\n", r, list->value, (void *)list->next);
  r = handle_request("third", 0);
  // CHECK: committed: r=0 head=third next=third!
  printf("committed: r=%d head=%s next=%s\n", r, list->value, list->next->value);
  free(aligned);
  free(numbers);
  while (list) {
    struct node *n = list->next;
    free(list->value);
    free(list);
    list = n;
  }
  return 0;
}
// CHECK-NOT: ERROR: AddressSanitizer
// CHECK-NOT: ERROR: LeakSanitizer
