//===- pages/host.h - what page snapshots need from the host --------------===//
//
// The page-snapshot engine (snapshot.h) and the syscall interposer
// (interpose.h) see the machine only through this interface, the one the
// paper's Dune libOS provides with VT-x (guest page tables, a syscall trap
// in ring 0).  host_linux.cpp implements it in user space with
// userfaultfd write-protect (asynchronous mode), PAGEMAP_SCAN and Syscall
// User Dispatch; docs/host.md maps every operation to Dune's.
//
// Nothing here allocates: callers pass their buffers, and every function is
// usable from the SIGSYS handler.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_HOST_H
#define AKESO_RUNTIME_PAGES_HOST_H

#include <cstddef>
#include <cstdint>

namespace akeso::pages {

constexpr uintptr_t PageSize = 4096;
inline uintptr_t pageDown(uintptr_t A) { return A & ~(PageSize - 1); }
inline uintptr_t pageUp(uintptr_t A) {
  return (A + PageSize - 1) & ~(PageSize - 1);
}

// [Lo, Hi), page aligned.
struct PageRun {
  uintptr_t Lo, Hi;
};

// --- Write tracking -------------------------------------------------------
// Opens the host's tracking machinery.  On failure returns false with a
// sentence in Why saying what the machine lacks.
bool hostOpen(char *Why, size_t WhyLen);
void hostClose();
bool hostIsOpen();
// Starts tracking writes to [Lo, Hi) (one or more whole mappings).  A page
// of a tracked range counts as written until the next hostCollect with
// Rearm (new pages faulted in count as written).  Returns 0 or -errno.
long hostTrack(uintptr_t Lo, uintptr_t Hi);
void hostUntrack(uintptr_t Lo, uintptr_t Hi);
// Write-protects [Lo, Hi): its pages count as not written.
long hostProtect(uintptr_t Lo, uintptr_t Hi);
// The runs of tracked pages in [Lo, Hi) written since they were last
// protected, into Out (at most Max runs; returns how many; *More is set
// when Out filled up before the scan ended: call again from Out's last
// run's Hi).  With Rearm the reported pages are protected again in the
// same pass, atomically with the report.
size_t hostCollect(uintptr_t Lo, uintptr_t Hi, bool Rearm, PageRun *Out,
                   size_t Max, uintptr_t *ScanEnd);
// After a restore wrote pages: whether the host re-arms page by page
// (hostRearmPage for every page that may have changed since the last
// re-arm) or only by a full hostCollect with Rearm.
bool hostRearmsByPage();
void hostRearmPage(uintptr_t Page);
// The runs of pages of [Lo, Hi) that hold data (present or swapped out).
size_t hostPresent(uintptr_t Lo, uintptr_t Hi, PageRun *Out, size_t Max,
                   uintptr_t *ScanEnd);
// Drops the pages of [Lo, Hi): they read as what the mapping holds
// underneath (zeros for anonymous memory, the file for a private file
// mapping), as when they were never touched.
void hostDiscard(uintptr_t Lo, uintptr_t Hi);

// --- System-call interception ---------------------------------------------
// A handler for system calls made by the program while interception is on:
// Args are the six argument registers; it returns the result (-errno on
// failure) and may perform the call itself with hostSyscall.
using SyscallHandler = long (*)(long Nr, const long *Args, uintptr_t IP);
// Installs the handler (once) and turns interception on or off.  The
// runtime's own calls must run with interception paused.
bool hostInterceptInstall(SyscallHandler Handler, char *Why, size_t WhyLen);
void hostInterceptStop(); // off for good (until the next Install)
// While paused (the runtime runs), system calls go to the kernel.
void hostInterceptPause();
void hostInterceptResume();
bool hostInterceptPaused();
// A system call made directly, never intercepted.
long hostSyscall(long Nr, long A0 = 0, long A1 = 0, long A2 = 0, long A3 = 0,
                 long A4 = 0, long A5 = 0);

// --- Running on another stack ---------------------------------------------
// Calls Fn(Arg) with the stack pointer at StackTop (16-byte aligned): the
// restore of a snapshot rewrites the program's stack pages, so it must not
// run on them.
void hostRunOnStack(void *StackTop, void (*Fn)(void *), void *Arg);

} // namespace akeso::pages

#endif
