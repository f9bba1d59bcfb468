//===- pages/host_compare.h - write tracking by comparison ----------------===//
//
// One of the two ways host_linux.cpp tracks writes (AKESO_OPTIONS pages_track=
// compare, the default; the other is userfaultfd write-protect, =uffd):
// no page protection at all.  A shadow copy of every tracked page that
// holds data is kept; "written since the last re-arm" means "differs from
// its shadow", and re-arming updates the shadow.  A take or restore then
// costs a comparison of the resident tracked memory (about 0.1 µs per
// page) instead of a page-table update, a TLB flush and a fault per
// written page, which on a guest whose page-table updates go to the
// hypervisor (this machine: ~100 µs per page) is far cheaper for small
// address spaces.  Writes by the kernel are seen too.  Memory: one more
// copy of the resident tracked memory.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_HOST_COMPARE_H
#define AKESO_RUNTIME_PAGES_HOST_COMPARE_H

#include "pages/host.h"

namespace akeso::pages::compare {

bool open(char *Why, size_t WhyLen);
void close();
long track(uintptr_t Lo, uintptr_t Hi);
void untrack(uintptr_t Lo, uintptr_t Hi);
long protect(uintptr_t Lo, uintptr_t Hi);
size_t collect(uintptr_t Lo, uintptr_t Hi, bool Rearm, PageRun *Out,
               size_t Max, uintptr_t *ScanEnd);
void discard(uintptr_t Lo, uintptr_t Hi);
void rearmPage(uintptr_t Page);

} // namespace akeso::pages::compare

#endif
