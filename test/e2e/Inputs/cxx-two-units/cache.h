// An inline member function, emitted in every translation unit that uses
// it: its domain wrapper and body must stay together in one comdat.
#include <akeso/akeso.h>
#include <new>

struct alignas(64) Line {
  long value;
};

struct Cache {
  Line *lines[4] = {};
  int insert(int slot, long value) {
    Line *old = lines[slot];
    lines[slot] = new Line{value}; // aligned new
    delete old;                    // aligned delete, deferred to commit
    if (value < 0)
      akeso_fault("negative value");
    return 0;
  }
};

int insert_from_a(Cache &c, int slot, long v);
int insert_from_b(Cache &c, int slot, long v);
