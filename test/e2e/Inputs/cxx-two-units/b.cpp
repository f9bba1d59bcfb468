#include "cache.h"
int insert_from_b(Cache &c, int slot, long v) { return c.insert(slot, v); }
