#include <akeso/akeso.h>
#include <stdio.h>
extern long shared;
void bump(long by);
int handle_request(long by) {
  bump(by);                 // instrumented code in another object
  if (by > 100)
    akeso_fault("too much");
  return 0;
}
int main(void) {
  handle_request(10);
  int r = handle_request(1000);
  printf("r=%d shared=%ld\n", r, shared);
  return 0;
}
