#include "cache.h"
#include <cstdio>
int insert_from_a(Cache &c, int slot, long v) { return c.insert(slot, v); }
int main() {
  Cache c;
  insert_from_a(c, 0, 1);
  insert_from_b(c, 0, 2);
  int r = insert_from_b(c, 0, -3);
  std::printf("r=%d value=%ld\n", r, c.lines[0]->value);
  delete c.lines[0];
  return 0;
}
