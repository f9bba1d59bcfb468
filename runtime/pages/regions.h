//===- pages/regions.h - the address space a page snapshot covers ---------===//
//
// The writable private mappings of the process, each with the candidate
// that created it: a mapping made by an extension (mmap, brk growth)
// belongs to the first snapshot taken after it, and exists only in that
// snapshot's subtree.  Alongside, the two logs that reverse what an
// extension did to the address space without losing data: munmap of an
// older mapping is deferred (the mapping stays until the exploration
// keeps the candidate), and mprotect records the old protection.
//
// Owners are snapshot nodes (void* here; null: the interval since the last
// snapshot).  Everything lives in runtime memory and never allocates.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_REGIONS_H
#define AKESO_RUNTIME_PAGES_REGIONS_H

#include <cstddef>
#include <cstdint>

namespace akeso::pages {

enum class RegionKind : uint8_t {
  Root,   // mapped when the exploration began
  Mapped, // mmap or mremap inside an extension
  Brk     // heap growth inside an extension
};

struct Region {
  uintptr_t Lo, Hi;
  const void *Owner;
  int Prot;
  RegionKind Kind;
  bool Anon; // anonymous memory: a page that held no data reads as zeros
};

bool regionsInit(char *Why, size_t WhyLen);
void regionsReset();
// Adds [Lo, Hi) (no overlap with a region already there).
bool regionAdd(uintptr_t Lo, uintptr_t Hi, RegionKind Kind, int Prot,
               const void *Owner, bool Anon);
// The region containing Addr, or null.
Region *regionFind(uintptr_t Addr);
size_t regionCount();
Region *regionAt(size_t I);
// Removes the region starting at Lo.
void regionRemove(uintptr_t Lo);

// munmap of [Lo, Hi) by the current interval, carried out only if the
// exploration keeps a candidate that made it.
bool deferUnmap(uintptr_t Lo, uintptr_t Hi);
// mprotect of [Lo, Hi) by the current interval, with the old protection.
bool logProtect(uintptr_t Lo, uintptr_t Hi, int OldProt);

// A snapshot was taken: what the interval did belongs to Node.
void regionsAssignOwner(const void *Node);
// Backtracking: undoes every mapping, deferral and protection change whose
// owner is not live (not an ancestor-or-self of the target snapshot).
void regionsRevert(bool (*Live)(const void *Owner));
// The exploration keeps the current candidate: carry out its deferred
// munmaps.
void regionsCommit();

// Calls Fn for each line of /proc/self/maps (Name may be empty).  Uses no
// allocation; returns false if the file cannot be read.
bool forEachMapping(void (*Fn)(uintptr_t Lo, uintptr_t Hi, const char *Perms,
                               const char *Name, void *Arg),
                    void *Arg);

} // namespace akeso::pages

#endif
