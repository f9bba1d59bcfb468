//===- pages/interpose.h - system calls made inside an extension ----------===//
//
// While a page-backed exploration runs, every system call of the program
// traps (host.h) and goes through one policy:
//  - address space (brk, mmap, munmap, mprotect, mremap, madvise): carried
//    out and logged so a backtrack reverses it (regions.h);
//  - regular files opened for writing: a private in-memory copy per
//    candidate (files.h), which later opens, stat and access of the file
//    see; closing any descriptor is deferred;
//  - stdout/stderr and calls that only read process-local state: passed on;
//    fcntl only with read-only commands, or flags of descriptors the
//    candidate opened, or locks on its copies; flock only on its copies;
//  - everything else that would let state escape the candidate (sockets,
//    processes, signals to others or to process groups, new descriptors,
//    devices, writes to other descriptors): fails with EPERM after a
//    diagnostic on stderr naming the call.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_INTERPOSE_H
#define AKESO_RUNTIME_PAGES_INTERPOSE_H

#include <cstddef>
#include <cstdint>

namespace akeso::pages {

// Allocates the interposer's state.  Must run before the root snapshot:
// pointers set after it would be reset by the last restore.
bool interposePrepare(char *Why, size_t WhyLen);
bool interposeStart(char *Why, size_t WhyLen);
void interposeStop();
// How many calls were denied since the exploration began.
unsigned long long interposeDenied();

} // namespace akeso::pages

#endif
