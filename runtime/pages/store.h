//===- pages/store.h - memory for page snapshots ---------------------------===//
//
// Saved page copies, the arrays that index them, and a page-keyed hash
// map, all carved from ranges reserved once (platform::reserveZeroed) so
// the snapshot engine never calls malloc (it runs inside the program's own
// malloc when a system call traps) and its memory is never itself part of
// a snapshot.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_STORE_H
#define AKESO_RUNTIME_PAGES_STORE_H

#include <cstddef>
#include <cstdint>

namespace akeso::pages {

// One saved page: the page's address and its content at some snapshot.
struct SavedPage {
  uintptr_t Page;
  char *Copy;
};

bool storeInit(char *Why, size_t WhyLen);
// A 4 KiB buffer for a page copy, and its return.
char *pageAlloc();
void pageFree(char *Copy);
// Page copies held now, and the most ever held (statistics, benchmarks).
size_t pagesHeld();
size_t pagesPeak();
// An array of Count SavedPages (size classes of powers of two).
SavedPage *savedAlloc(size_t Count);
void savedFree(SavedPage *Array, size_t Count);
// Returns every page and array at once (end of an exploration).
void storeReset();

// Open addressing from a page address to a word; Capacity is fixed.
class PageMap {
public:
  // Populate: fault the tables in now (a first touch costs a fault, which
  // on a PVM guest is 20-36 us; a map touched at random would pay it in
  // every restore until warm).
  bool init(size_t LogCapacity, bool Populate = false);
  // The value slot for Page (0 when new); inserts it.
  uintptr_t &at(uintptr_t Page);
  // The value for Page, or 0.
  uintptr_t get(uintptr_t Page) const;
  // The value slot for Page, or null when absent.
  uintptr_t *find(uintptr_t Page);
  size_t size() const { return Count; }
  // Forgets every key (cost proportional to the keys inserted).
  void clear();
  template <typename Fn> void forEach(Fn F) const {
    for (size_t I = 0; I < Count; ++I)
      F(Keys[Used[I]], Values[Used[I]]);
  }

private:
  uintptr_t *Keys = nullptr, *Values = nullptr;
  uint32_t *Used = nullptr; // slots in insertion order, for clear()
  size_t Mask = 0, Count = 0;
};

} // namespace akeso::pages

#endif
