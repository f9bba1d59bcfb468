#include <akeso/akeso.h>
#include <stdio.h>
void library_set(long);
long library_get(void);
// The library's instrumented code logs into this program's runtime.
int handle_request(long v) {
  library_set(v);
  if (v > 100)
    akeso_fault("too big");
  return 0;
}
int main(void) {
  handle_request(5);
  int r = handle_request(500);
  printf("r=%d library=%ld\n", r, library_get());
  return 0;
}
