//===- pages/host_linux.cpp - the page-snapshot host in Linux user space --===//
//
// Write tracking: one userfaultfd in asynchronous write-protect mode
// (UFFD_FEATURE_WP_ASYNC, Linux 6.7): a write to a protected page is
// resolved by the kernel itself, which only clears the page's uffd-wp bit,
// so no signal, no handler thread and no fault-time copy; PAGEMAP_SCAN on
// /proc/self/pagemap then lists the pages whose bit is clear (written) and
// sets it again in the same walk.  UFFD_FEATURE_WP_UNPOPULATED makes pages
// never touched count too.  The fd is opened with UFFD_USER_MODE_ONLY, the
// mode an unprivileged process may use when vm.unprivileged_userfaultfd is
// 0; asynchronous faults are resolved before that check, so writes by the
// kernel (read(2) into a protected buffer) are tracked as well.
//
// Interception: Syscall User Dispatch.  A selector byte says whether
// system calls trap (SIGSYS) or go to the kernel; calls whose instruction
// lies in the gate (the rt_sigreturn trampoline below) always go through,
// so the SIGSYS handler can return with the selector set to trap again.
// A program's handler returning (its rt_sigreturn traps too) is emulated
// in the SIGSYS handler, so interception never pauses for it.
//
// Debian 12's headers predate both kernel interfaces, so their ABI is
// spelled out here (include/uapi/linux/fs.h, userfaultfd.h, prctl.h).
//
//===----------------------------------------------------------------------===//
#include "options.h"
#include "pages/host.h"
#include "pages/host_compare.h"
#include "platform/platform.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

namespace {

// include/uapi/linux/fs.h (6.7+)
struct PmPageRegion {
  uint64_t Start, End, Categories;
};
struct PmScanArg {
  uint64_t Size, Flags, Start, End, WalkEnd, Vec, VecLen, MaxPages,
      CategoryInverted, CategoryMask, CategoryAnyofMask, ReturnMask;
};
constexpr unsigned long PagemapScan = _IOWR('f', 16, PmScanArg);
constexpr uint64_t PmScanWpMatching = 1 << 0;
constexpr uint64_t PageIsWpAllowed = 1 << 0;
constexpr uint64_t PageIsWritten = 1 << 1;
constexpr uint64_t PageIsPresent = 1 << 3;
constexpr uint64_t PageIsSwapped = 1 << 4;
// include/uapi/linux/userfaultfd.h (6.7+)
constexpr int UffdUserModeOnly = 1;
constexpr uint64_t UffdFeatureWpUnpopulated = 1 << 13;
constexpr uint64_t UffdFeatureWpAsync = 1 << 15;
// include/uapi/linux/prctl.h
constexpr int PrSetSyscallUserDispatch = 59;
constexpr unsigned long PrSysDispatchOff = 0, PrSysDispatchOn = 1;
constexpr char SelectorAllow = 0, SelectorBlock = 1;
// The highest user address PAGEMAP_SCAN accepts (x86-64, 4-level paging).
constexpr uintptr_t UserTop = 0x7ffffffff000ULL;

constexpr size_t ScanVec = 512;
// Everything that changes lives in runtime memory (platform::reserveZeroed),
// which snapshots leave alone: a restore must not bring back an older
// selector or descriptor.  Only the pointer is a global, set once.
struct HostState {
  bool Compare; // AKESO_OPTIONS pages_track=compare (host_compare.h)
  bool Open;
  int Uffd, Pagemap;
  volatile char Selector;
  bool DispatchOn;
  unsigned long long SigreturnsEmulated;
  akeso::pages::SyscallHandler Handler;
  PmPageRegion Vec[ScanVec];
};
HostState *H = nullptr;

} // namespace

// The gate: the only code whose system calls are never dispatched.  It is
// the SIGSYS handler's return path (the kernel checks the address after the
// syscall instruction, hence the trailing ud2).
extern "C" void akeso_pages_sigreturn();
extern "C" char akeso_pages_gate_begin[], akeso_pages_gate_end[];
asm(R"(
  .text
  .p2align 4
  .globl akeso_pages_gate_begin
  .hidden akeso_pages_gate_begin
akeso_pages_gate_begin:
  .globl akeso_pages_sigreturn
  .hidden akeso_pages_sigreturn
akeso_pages_sigreturn:
  mov $15, %eax
  syscall
  ud2
  .globl akeso_pages_gate_end
  .hidden akeso_pages_gate_end
akeso_pages_gate_end:

  .p2align 4
  .globl akeso_pages_run_on_stack
  .hidden akeso_pages_run_on_stack
akeso_pages_run_on_stack:
  push %rbp
  mov %rsp, %rbp
  mov %rdi, %rsp
  mov %rdx, %rdi
  call *%rsi
  mov %rbp, %rsp
  pop %rbp
  ret
)");
extern "C" void akeso_pages_run_on_stack(void *, void (*)(void *), void *);

namespace akeso::pages {

long hostSyscall(long Nr, long A0, long A1, long A2, long A3, long A4,
                 long A5) {
  long Ret;
  register long R10 asm("r10") = A3;
  register long R8 asm("r8") = A4;
  register long R9 asm("r9") = A5;
  asm volatile("syscall"
               : "=a"(Ret)
               : "a"(Nr), "D"(A0), "S"(A1), "d"(A2), "r"(R10), "r"(R8),
                 "r"(R9)
               : "rcx", "r11", "memory");
  return Ret;
}

bool hostOpen(char *Why, size_t WhyLen) {
  if (!H) {
    H = static_cast<HostState *>(platform::reserveZeroed(sizeof(HostState)));
    if (!H) {
      snprintf(Why, WhyLen, "cannot map the host's state");
      return false;
    }
    H->Uffd = H->Pagemap = -1;
  }
  if (H->Open)
    return true;
  // Comparison is the default: on this project's machines (PVM guests)
  // a page-table update costs ~100 us, so comparing the resident tracked
  // memory is faster for every program measured (docs/host.md).
  H->Compare = !rt::Flags.PagesTrackUffd; // AKESO_OPTIONS pages_track=
  if (H->Compare) {
    H->Pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (H->Pagemap < 0) {
      snprintf(Why, WhyLen, "cannot open /proc/self/pagemap: %s",
               strerror(errno));
      return false;
    }
    if (!compare::open(Why, WhyLen))
      return false;
    H->Open = true;
    return true;
  }
  int Fd = int(hostSyscall(SYS_userfaultfd, O_CLOEXEC | UffdUserModeOnly));
  if (Fd < 0) {
    snprintf(Why, WhyLen,
             "userfaultfd(UFFD_USER_MODE_ONLY) failed (%s): the kernel lacks "
             "CONFIG_USERFAULTFD or a seccomp policy forbids it",
             strerror(int(-Fd)));
    return false;
  }
  uffdio_api Api{};
  Api.api = UFFD_API;
  Api.features = UffdFeatureWpAsync | UffdFeatureWpUnpopulated;
  if (ioctl(Fd, UFFDIO_API, &Api) != 0) {
    snprintf(Why, WhyLen,
             "userfaultfd lacks asynchronous write-protect "
             "(UFFD_FEATURE_WP_ASYNC, Linux 6.7+): %s",
             strerror(errno));
    close(Fd);
    return false;
  }
  int Pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (Pm < 0) {
    snprintf(Why, WhyLen, "cannot open /proc/self/pagemap: %s",
             strerror(errno));
    close(Fd);
    return false;
  }
  PmScanArg Probe{};
  Probe.Size = sizeof(Probe);
  Probe.Start = Probe.End = 0;
  Probe.Vec = reinterpret_cast<uint64_t>(H->Vec);
  Probe.VecLen = 1;
  Probe.CategoryMask = Probe.ReturnMask = PageIsWritten;
  if (ioctl(Pm, PagemapScan, &Probe) < 0) {
    snprintf(Why, WhyLen, "the PAGEMAP_SCAN ioctl is missing (Linux 6.7+): %s",
             strerror(errno));
    close(Pm);
    close(Fd);
    return false;
  }
  H->Uffd = Fd;
  H->Pagemap = Pm;
  H->Open = true;
  return true;
}

void hostClose() {
  if (!H || !H->Open)
    return;
  if (H->Compare)
    compare::close();
  H->Open = false;
  if (H->Uffd >= 0)
    close(H->Uffd); // unregisters every range and clears its protection
  if (H->Pagemap >= 0)
    close(H->Pagemap);
  H->Uffd = H->Pagemap = -1;
}

bool hostIsOpen() { return H && H->Open; }

long hostTrack(uintptr_t Lo, uintptr_t Hi) {
  if (H->Compare)
    return compare::track(Lo, Hi);
  uffdio_register R{};
  R.range.start = Lo;
  R.range.len = Hi - Lo;
  R.mode = UFFDIO_REGISTER_MODE_WP;
  return hostSyscall(SYS_ioctl, H->Uffd, long(UFFDIO_REGISTER), long(&R));
}

void hostUntrack(uintptr_t Lo, uintptr_t Hi) {
  if (!H || !H->Open)
    return;
  if (H->Compare)
    return compare::untrack(Lo, Hi);
  uffdio_range R{Lo, Hi - Lo};
  hostSyscall(SYS_ioctl, H->Uffd, long(UFFDIO_UNREGISTER), long(&R));
}

long hostProtect(uintptr_t Lo, uintptr_t Hi) {
  if (H->Compare)
    return compare::protect(Lo, Hi);
  uffdio_writeprotect W{};
  W.range.start = Lo;
  W.range.len = Hi - Lo;
  W.mode = UFFDIO_WRITEPROTECT_MODE_WP;
  return hostSyscall(SYS_ioctl, H->Uffd, long(UFFDIO_WRITEPROTECT), long(&W));
}

// One PAGEMAP_SCAN call, its output converted to PageRuns.
static size_t scan(uintptr_t Lo, uintptr_t Hi, uint64_t Flags, uint64_t Mask,
                   uint64_t Anyof, PageRun *Out, size_t Max,
                   uintptr_t *ScanEnd) {
  if (Hi > UserTop)
    Hi = UserTop;
  PmScanArg A{};
  A.Size = sizeof(A);
  A.Flags = Flags;
  A.Start = Lo;
  A.End = Hi;
  A.Vec = reinterpret_cast<uint64_t>(H->Vec);
  A.VecLen = Max < ScanVec ? Max : ScanVec;
  A.CategoryMask = Mask;
  A.CategoryAnyofMask = Anyof;
  A.ReturnMask = Mask | Anyof;
  long N = hostSyscall(SYS_ioctl, H->Pagemap, long(PagemapScan), long(&A));
  if (N < 0) {
    char Msg[160];
    int Len = snprintf(Msg, sizeof(Msg),
                       "akeso pages: PAGEMAP_SCAN [%#lx, %#lx) failed: %s\n",
                       Lo, Hi, strerror(int(-N)));
    platform::writeError(Msg, size_t(Len));
    platform::die();
  }
  for (long I = 0; I < N; ++I)
    Out[I] = PageRun{H->Vec[I].Start, H->Vec[I].End};
  *ScanEnd = A.WalkEnd;
  return size_t(N);
}

size_t hostCollect(uintptr_t Lo, uintptr_t Hi, bool Rearm, PageRun *Out,
                   size_t Max, uintptr_t *ScanEnd) {
  if (H->Compare)
    return compare::collect(Lo, Hi, Rearm, Out, Max, ScanEnd);
  // "Written" means "no uffd-wp bit", true of every page of an untracked
  // mapping too: WPALLOWED restricts the walk to tracked mappings.
  return scan(Lo, Hi, Rearm ? PmScanWpMatching : 0,
              PageIsWritten | PageIsWpAllowed, 0, Out, Max, ScanEnd);
}

size_t hostPresent(uintptr_t Lo, uintptr_t Hi, PageRun *Out, size_t Max,
                   uintptr_t *ScanEnd) {
  return scan(Lo, Hi, 0, 0, PageIsPresent | PageIsSwapped, Out, Max, ScanEnd);
}

// Write-protect re-arms in one scan (one TLB flush per page-table page);
// the shadow copy is updated page by page (no system call at all).
bool hostRearmsByPage() { return H->Compare; }
void hostRearmPage(uintptr_t Page) { compare::rearmPage(Page); }

void hostDiscard(uintptr_t Lo, uintptr_t Hi) {
  if (H->Compare)
    compare::discard(Lo, Hi);
  hostSyscall(SYS_madvise, long(Lo), long(Hi - Lo), MADV_DONTNEED);
}

// --- Syscall User Dispatch -------------------------------------------------

namespace {
struct KernelSigaction {
  void *Handler;
  unsigned long Flags;
  void (*Restorer)();
  uint64_t Mask;
};
constexpr unsigned long SaRestorer = 0x04000000;
// The kernel's sigset_t (glibc's is 128 bytes; the first 8 are the mask).
constexpr size_t KernelSigsetBytes = 8;

void onSigsys(int, siginfo_t *, void *Context) {
  H->Selector = SelectorAllow;
  auto *UC = static_cast<ucontext_t *>(Context);
  greg_t *G = UC->uc_mcontext.gregs;
  const long Args[6] = {G[REG_RDI], G[REG_RSI], G[REG_RDX],
                        G[REG_R10], G[REG_R8],  G[REG_R9]};
  if (G[REG_RAX] == SYS_rt_sigreturn) {
    // A program's signal handler returns.  The call cannot be made from
    // here (it would return from this handler's frame), so it is emulated:
    // the program's frame (its ucontext sits at the stack pointer, the
    // handler's return having popped the restorer's address) is copied
    // into this handler's, and the gate's rt_sigreturn restores it.  The
    // registers, signal mask and alternate stack come back as the kernel
    // would restore them; the FPU state is read from the program's frame
    // (still intact: this frame lies below it).  Interception never
    // pauses: the selector is set to trap before returning.
    const auto *Prog = reinterpret_cast<const ucontext_t *>(G[REG_RSP]);
    UC->uc_flags = Prog->uc_flags;
    UC->uc_stack = Prog->uc_stack;
    memcpy(UC->uc_mcontext.gregs, Prog->uc_mcontext.gregs,
           sizeof(UC->uc_mcontext.gregs));
    UC->uc_mcontext.fpregs = Prog->uc_mcontext.fpregs;
    memcpy(&UC->uc_sigmask, &Prog->uc_sigmask, KernelSigsetBytes);
    H->SigreturnsEmulated++;
    if (H->DispatchOn)
      H->Selector = SelectorBlock;
    return;
  }
  const int SavedErrno = errno;
  G[REG_RAX] = H->Handler(G[REG_RAX], Args, uintptr_t(G[REG_RIP]));
  errno = SavedErrno;
  if (H->DispatchOn)
    H->Selector = SelectorBlock;
}
} // namespace

bool hostInterceptInstall(SyscallHandler Fn, char *Why, size_t WhyLen) {
  if (!H) {
    snprintf(Why, WhyLen, "hostOpen must run first");
    return false;
  }
  H->Handler = Fn;
  KernelSigaction Act{};
  Act.Handler = reinterpret_cast<void *>(&onSigsys);
  Act.Flags = SA_SIGINFO | SaRestorer;
  Act.Restorer = akeso_pages_sigreturn;
  // The program's handlers wait while this one runs: one running in the
  // middle would make its calls with the selector at allow.  Faults stay
  // deliverable (a blocked one would kill the process silently).
  static const int Faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP,
                               SIGABRT};
  Act.Mask = ~0ULL;
  for (int Sig : Faults)
    Act.Mask &= ~(1ULL << (Sig - 1));
  long R = hostSyscall(SYS_rt_sigaction, SIGSYS, long(&Act), 0, 8);
  if (R != 0) {
    snprintf(Why, WhyLen, "rt_sigaction(SIGSYS) failed: %s",
             strerror(int(-R)));
    return false;
  }
  H->Selector = SelectorAllow;
  R = hostSyscall(SYS_prctl, PrSetSyscallUserDispatch, PrSysDispatchOn,
                  long(akeso_pages_gate_begin),
                  long(akeso_pages_gate_end - akeso_pages_gate_begin),
                  long(&H->Selector));
  // (The kernel keeps the selector's address: it must never move.)
  if (R != 0) {
    snprintf(Why, WhyLen,
             "Syscall User Dispatch (prctl PR_SET_SYSCALL_USER_DISPATCH, "
             "Linux 5.11+, CONFIG_GENERIC_ENTRY) is unavailable: %s",
             strerror(int(-R)));
    return false;
  }
  H->DispatchOn = true;
  return true;
}

void hostInterceptStop() {
  if (!H || !H->DispatchOn)
    return;
  H->DispatchOn = false;
  H->Selector = SelectorAllow;
  hostSyscall(SYS_prctl, PrSetSyscallUserDispatch, PrSysDispatchOff, 0, 0, 0);
  KernelSigaction Dfl{};
  Dfl.Handler = nullptr; // SIG_DFL
  hostSyscall(SYS_rt_sigaction, SIGSYS, long(&Dfl), 0, 8);
}

void hostInterceptPause() {
  if (H)
    H->Selector = SelectorAllow;
}
void hostInterceptResume() {
  if (H && H->DispatchOn)
    H->Selector = SelectorBlock;
}
bool hostInterceptPaused() {
  return !H || !H->DispatchOn || H->Selector == SelectorAllow;
}

void hostRunOnStack(void *StackTop, void (*Fn)(void *), void *Arg) {
  akeso_pages_run_on_stack(StackTop, Fn, Arg);
}

} // namespace akeso::pages
