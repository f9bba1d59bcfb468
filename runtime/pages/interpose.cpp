//===- pages/interpose.cpp - system calls made inside an extension --------===//
//
// The SIGSYS handler's policy (interpose.h).  It runs on the program's
// stack, inside whatever libc function made the call (malloc, when it is
// brk or mmap), so it allocates nothing and makes its own calls with
// hostSyscall.  Unknown calls are denied: the list of what passes is
// short on purpose, so nothing escapes a candidate silently.
//
//===----------------------------------------------------------------------===//
#include "pages/interpose.h"
#include "pages/files.h"
#include "pages/host.h"
#include "pages/regions.h"
#include "pages/snapshot.h"
#include "platform/platform.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/mman.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

namespace akeso::pages {
namespace {

// In runtime memory: a restore must not bring back an older count.
unsigned long long *DeniedCount = nullptr;
#define Denied (*DeniedCount)

// What a refused call is, for the diagnostic (calls not listed are named
// by number).
const char *callName(long Nr) {
  switch (Nr) {
  case SYS_socket: return "socket";
  case SYS_socketpair: return "socketpair";
  case SYS_connect: return "connect";
  case SYS_bind: return "bind";
  case SYS_listen: return "listen";
  case SYS_accept: return "accept";
  case SYS_accept4: return "accept4";
  case SYS_sendto: return "sendto";
  case SYS_recvfrom: return "recvfrom";
  case SYS_sendmsg: return "sendmsg";
  case SYS_recvmsg: return "recvmsg";
  case SYS_sendmmsg: return "sendmmsg";
  case SYS_recvmmsg: return "recvmmsg";
  case SYS_shutdown: return "shutdown";
  case SYS_setsockopt: return "setsockopt";
  case SYS_getsockopt: return "getsockopt";
  case SYS_clone: return "clone (fork or a new thread)";
  case SYS_clone3: return "clone3 (a new thread)";
  case SYS_fork: return "fork";
  case SYS_vfork: return "vfork";
  case SYS_execve: return "execve";
  case SYS_execveat: return "execveat";
  case SYS_wait4: return "wait4";
  case SYS_waitid: return "waitid";
  case SYS_ptrace: return "ptrace";
  case SYS_kill: return "kill (a signal to another process or a process group)";
  case SYS_tgkill: return "tgkill (a signal to another thread)";
  case SYS_tkill: return "tkill (a signal to another thread)";
  case SYS_rt_sigqueueinfo: return "rt_sigqueueinfo";
  case SYS_rt_tgsigqueueinfo: return "rt_tgsigqueueinfo";
  case SYS_pidfd_open: return "pidfd_open";
  case SYS_pidfd_send_signal: return "pidfd_send_signal";
  case SYS_setitimer: return "setitimer (a timer outliving the candidate)";
  case SYS_alarm: return "alarm (a timer outliving the candidate)";
  case SYS_timer_create: return "timer_create";
  case SYS_timer_settime: return "timer_settime";
  case SYS_timerfd_create: return "timerfd_create";
  case SYS_eventfd2: return "eventfd2";
  case SYS_signalfd4: return "signalfd4";
  case SYS_epoll_create1: return "epoll_create1";
  case SYS_inotify_init1: return "inotify_init1";
  case SYS_memfd_create: return "memfd_create";
  case SYS_io_uring_setup: return "io_uring_setup";
  case SYS_write: return "write (to a descriptor other than stdout/stderr "
                         "or a contained file)";
  case SYS_writev: return "writev (to a descriptor other than stdout/stderr "
                          "or a contained file)";
  case SYS_pwrite64: return "pwrite64 (to a non-contained descriptor)";
  case SYS_pwritev: return "pwritev (to a non-contained descriptor)";
  case SYS_ftruncate: return "ftruncate (of a non-contained descriptor)";
  case SYS_fallocate: return "fallocate (of a non-contained descriptor)";
  case SYS_truncate: return "truncate (by path: open the file for writing "
                            "instead)";
  case SYS_sendfile: return "sendfile";
  case SYS_splice: return "splice";
  case SYS_tee: return "tee";
  case SYS_copy_file_range: return "copy_file_range";
  case SYS_ioctl: return "ioctl (on a device)";
  case SYS_flock: return "flock (a lock on a file other processes share)";
  case SYS_pipe: return "pipe";
  case SYS_pipe2: return "pipe2";
  case SYS_dup: return "dup";
  case SYS_dup2: return "dup2";
  case SYS_dup3: return "dup3";
  case SYS_unlink: return "unlink";
  case SYS_unlinkat: return "unlinkat";
  case SYS_rename: return "rename";
  case SYS_renameat: return "renameat";
  case SYS_renameat2: return "renameat2";
  case SYS_link: return "link";
  case SYS_linkat: return "linkat";
  case SYS_symlink: return "symlink";
  case SYS_symlinkat: return "symlinkat";
  case SYS_mkdir: return "mkdir";
  case SYS_mkdirat: return "mkdirat";
  case SYS_mknod: return "mknod";
  case SYS_mknodat: return "mknodat";
  case SYS_rmdir: return "rmdir";
  case SYS_chdir: return "chdir";
  case SYS_fchdir: return "fchdir";
  case SYS_chroot: return "chroot";
  case SYS_chmod: return "chmod";
  case SYS_fchmod: return "fchmod";
  case SYS_fchmodat: return "fchmodat";
  case SYS_chown: return "chown";
  case SYS_fchown: return "fchown";
  case SYS_lchown: return "lchown";
  case SYS_fchownat: return "fchownat";
  case SYS_utimensat: return "utimensat";
  case SYS_utimes: return "utimes";
  case SYS_umask: return "umask";
  case SYS_sync: return "sync";
  case SYS_syncfs: return "syncfs";
  case SYS_mount: return "mount";
  case SYS_umount2: return "umount2";
  case SYS_setpgid: return "setpgid";
  case SYS_setsid: return "setsid";
  case SYS_setuid: return "setuid";
  case SYS_setgid: return "setgid";
  case SYS_setreuid: return "setreuid";
  case SYS_setregid: return "setregid";
  case SYS_setresuid: return "setresuid";
  case SYS_setresgid: return "setresgid";
  case SYS_setgroups: return "setgroups";
  case SYS_setrlimit: return "setrlimit";
  case SYS_prlimit64: return "prlimit64 (setting a limit)";
  case SYS_setpriority: return "setpriority";
  case SYS_sched_setaffinity: return "sched_setaffinity";
  case SYS_sched_setscheduler: return "sched_setscheduler";
  case SYS_prctl: return "prctl";
  case SYS_arch_prctl: return "arch_prctl";
  case SYS_personality: return "personality";
  case SYS_shmget: return "shmget";
  case SYS_shmat: return "shmat";
  case SYS_semget: return "semget";
  case SYS_semop: return "semop";
  case SYS_msgget: return "msgget";
  case SYS_msgsnd: return "msgsnd";
  case SYS_mq_open: return "mq_open";
  case SYS_process_vm_writev: return "process_vm_writev";
  case SYS_userfaultfd: return "userfaultfd";
  case SYS_perf_event_open: return "perf_event_open";
  case SYS_bpf: return "bpf";
  case SYS_sethostname: return "sethostname";
  case SYS_settimeofday: return "settimeofday";
  case SYS_clock_settime: return "clock_settime";
  case SYS_reboot: return "reboot";
  case SYS_mmap: return "mmap (shared writable, or MAP_FIXED over tracked "
                        "memory)";
  case SYS_mprotect: return "mprotect (of memory outside the snapshot)";
  case SYS_mremap: return "mremap (MREMAP_FIXED/DONTUNMAP, or untracked)";
  case SYS_openat: return "openat (of a device, fifo or socket for writing)";
  case SYS_open: return "open (of a device, fifo or socket for writing)";
  case SYS_creat: return "creat (of a device, fifo or socket)";
  default: return nullptr;
  }
}

// Refuses the call with a diagnostic naming it (What, else callName).
long deny(long Nr, uintptr_t IP, const char *What = nullptr) {
  ++Denied;
  char Msg[512];
  const char *Name = What ? What : callName(Nr);
  char Num[32];
  if (!Name) {
    snprintf(Num, sizeof(Num), "system call %ld", Nr);
    Name = Num;
  }
  int Len = snprintf(
      Msg, sizeof(Msg),
      "akeso pages: %s inside an extension (at %#lx) would let state escape "
      "the candidate; it fails with EPERM.  Make the call before "
      "akeso_guess_strategy or after the exploration (docs/host.md)\n",
      Name, IP);
  hostSyscall(SYS_write, 2, long(Msg), Len);
  return -EPERM;
}

bool overlapsTracked(uintptr_t Lo, uintptr_t Hi) {
  for (size_t I = 0; I < regionCount(); ++I) {
    const Region *G = regionAt(I);
    if (G->Lo < Hi && G->Hi > Lo)
      return true;
  }
  return false;
}

long onBrk(uintptr_t Want) {
  const uintptr_t Cur = snapBrk(), Kernel = snapKernelBrk();
  if (Want <= Cur)
    return long(Cur); // queries, and shrinking: refused (data kept)
  if (Want <= Kernel) {
    // Heap a discarded candidate grew: reused.  Fresh brk memory reads
    // as zeros (glibc's calloc relies on it).
    memset(reinterpret_cast<void *>(Cur), 0, Want - Cur);
    snapSetBrk(Want);
    return long(Want);
  }
  const long Got = hostSyscall(SYS_brk, long(Want));
  if (uintptr_t(Got) < Want)
    return long(Cur);
  if (pageUp(uintptr_t(Got)) > pageUp(Kernel)) {
    const uintptr_t Lo = pageUp(Kernel), Hi = pageUp(uintptr_t(Got));
    // Owned by the root: it stays mapped (and tracked) across backtracks.
    if (hostTrack(Lo, Hi) != 0 ||
        !regionAdd(Lo, Hi, RegionKind::Brk, PROT_READ | PROT_WRITE,
                   snapRoot(), true)) {
      hostSyscall(SYS_brk, long(Kernel));
      return long(Cur);
    }
  }
  memset(reinterpret_cast<void *>(Cur), 0, Kernel - Cur);
  snapSetKernelBrk(uintptr_t(Got));
  snapSetBrk(uintptr_t(Got));
  return Got;
}

long onMmap(const long *A, uintptr_t IP) {
  const uintptr_t Addr = uintptr_t(A[0]);
  const size_t Len = size_t(A[1]);
  const int Prot = int(A[2]), Flags = int(A[3]);
  const bool Shared = (Flags & MAP_TYPE) != MAP_PRIVATE;
  if (Shared && ((Prot & PROT_WRITE) || int(A[4]) < 0))
    return deny(SYS_mmap, IP);
  if ((Flags & MAP_FIXED) && !(Flags & MAP_FIXED_NOREPLACE) &&
      overlapsTracked(pageDown(Addr), pageUp(Addr + Len)))
    return deny(SYS_mmap, IP);
  const long R = hostSyscall(SYS_mmap, A[0], A[1], A[2], A[3], A[4], A[5]);
  if (R < 0 && R > -4096)
    return R;
  if (Shared)
    return R; // read-only file data: nothing a snapshot keeps
  const uintptr_t Lo = uintptr_t(R), Hi = pageUp(Lo + Len);
  if (hostTrack(Lo, Hi) != 0 ||
      !regionAdd(Lo, Hi, RegionKind::Mapped, Prot, nullptr,
                 (Flags & MAP_ANONYMOUS) != 0)) {
    hostSyscall(SYS_munmap, R, long(Len));
    return -ENOMEM;
  }
  return R;
}

long onMunmap(uintptr_t Addr, size_t Len) {
  const uintptr_t Lo = pageDown(Addr), Hi = pageUp(Addr + Len);
  Region *G = regionFind(Lo);
  if (G && !G->Owner && G->Lo == Lo && G->Hi == Hi &&
      G->Kind == RegionKind::Mapped) {
    // Made since the last snapshot: no snapshot refers to it.
    hostUntrack(Lo, Hi);
    hostSyscall(SYS_munmap, long(Lo), long(Hi - Lo));
    regionRemove(Lo);
    return 0;
  }
  if (!overlapsTracked(Lo, Hi))
    return hostSyscall(SYS_munmap, long(Addr), long(Len));
  return deferUnmap(Lo, Hi) ? 0 : -ENOMEM;
}

long onMprotect(const long *A, uintptr_t IP) {
  const uintptr_t Lo = pageDown(uintptr_t(A[0]));
  const uintptr_t Hi = pageUp(uintptr_t(A[0]) + size_t(A[1]));
  Region *G = regionFind(Lo);
  if (!G || Hi > G->Hi)
    return deny(SYS_mprotect, IP);
  const long R = hostSyscall(SYS_mprotect, A[0], A[1], A[2]);
  if (R != 0)
    return R;
  logProtect(Lo, Hi, G->Prot);
  if (G->Lo == Lo && G->Hi == Hi)
    G->Prot = int(A[2]);
  return 0;
}

// mremap as a new mapping, a copy, and the munmap policy for the old one.
long onMremap(const long *A, uintptr_t IP) {
  const uintptr_t Old = uintptr_t(A[0]);
  const size_t OldLen = size_t(A[1]), NewLen = size_t(A[2]);
  const int Flags = int(A[3]);
  Region *G = regionFind(Old);
  if ((Flags & ~MREMAP_MAYMOVE) || !G)
    return deny(SYS_mremap, IP);
  if (NewLen <= OldLen) {
    onMunmap(Old + pageUp(NewLen), OldLen - pageUp(NewLen));
    return long(Old);
  }
  if (!(Flags & MREMAP_MAYMOVE))
    return -ENOMEM;
  const long New[6] = {0, long(NewLen), G->Prot | PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0};
  const long R = onMmap(New, IP);
  if (R < 0 && R > -4096)
    return R;
  memcpy(reinterpret_cast<void *>(R), reinterpret_cast<void *>(Old), OldLen);
  onMunmap(Old, OldLen);
  return R;
}

long onMadvise(const long *A) {
  const uintptr_t Lo = uintptr_t(A[0]), Hi = Lo + size_t(A[1]);
  const int Advice = int(A[2]);
  if (!overlapsTracked(Lo, Hi))
    return hostSyscall(SYS_madvise, A[0], A[1], A[2]);
  if (Advice == MADV_FREE)
    return 0; // content may stay: keeping it is allowed
  if (Advice == MADV_DONTNEED || Advice == MADV_REMOVE) {
    // Dropping pages would change memory behind the write tracking:
    // zero them by writing instead.
    memset(reinterpret_cast<void *>(Lo), 0, Hi - Lo);
    return 0;
  }
  return hostSyscall(SYS_madvise, A[0], A[1], A[2]);
}

bool isOutput(long Fd) { return Fd == 1 || Fd == 2; }

// fcntl: commands that only read pass; descriptor and status flags may
// change only on a descriptor the candidate opened (a backtrack closes
// it); a lock only on a contained copy (no other process sees it); new
// descriptors (F_DUPFD*) and everything else are refused.
long onFcntl(const long *A, uintptr_t IP) {
  const int Fd = int(A[0]), Cmd = int(A[1]);
  const char *What = nullptr;
  char Other[64];
  switch (Cmd) {
  case F_GETFD: case F_GETFL: case F_GETLK: case F_GETOWN:
  case 11 /*F_GETSIG*/: case 16 /*F_GETOWN_EX*/: case 36 /*F_OFD_GETLK*/:
  case 1025 /*F_GETLEASE*/: case 1032 /*F_GETPIPE_SZ*/:
  case 1034 /*F_GET_SEALS*/: case 1035 /*F_GET_RW_HINT*/:
  case 1037 /*F_GET_FILE_RW_HINT*/:
    return hostSyscall(SYS_fcntl, A[0], A[1], A[2]);
  case F_SETFD: case F_SETFL:
    if (filesOpenedHere(Fd))
      return hostSyscall(SYS_fcntl, A[0], A[1], A[2]);
    What = Cmd == F_SETFD ? "fcntl F_SETFD on a descriptor opened before "
                            "this candidate (the flag would outlive it)"
                          : "fcntl F_SETFL on a descriptor opened before "
                            "this candidate (the flag would outlive it)";
    break;
  case F_SETLK: case F_SETLKW: case 37 /*F_OFD_SETLK*/:
  case 38 /*F_OFD_SETLKW*/:
    if (filesContained(Fd, false))
      return hostSyscall(SYS_fcntl, A[0], A[1], A[2]);
    What = Cmd == F_SETLK    ? "fcntl F_SETLK (a lock other processes see)"
           : Cmd == F_SETLKW ? "fcntl F_SETLKW (a lock other processes see)"
           : Cmd == 37 ? "fcntl F_OFD_SETLK (a lock other processes see)"
                       : "fcntl F_OFD_SETLKW (a lock other processes see)";
    break;
  case F_DUPFD:
    What = "fcntl F_DUPFD (a new descriptor)";
    break;
  case 1030 /*F_DUPFD_CLOEXEC*/:
    What = "fcntl F_DUPFD_CLOEXEC (a new descriptor)";
    break;
  default:
    snprintf(Other, sizeof(Other), "fcntl (command %d)", Cmd);
    What = Other;
  }
  return deny(SYS_fcntl, IP, What);
}

long handle(long Nr, const long *A, uintptr_t IP) {
  switch (Nr) {
  // Process-local reads and time: no state leaves the candidate.
  case SYS_read: case SYS_pread64: case SYS_readv: case SYS_preadv:
  case SYS_lseek:
    filesContained(int(A[0]), true); // moves a contained copy's offset
    return hostSyscall(Nr, A[0], A[1], A[2], A[3], A[4], A[5]);
  // A file that has a contained copy is seen as the copy.
  case SYS_stat: case SYS_lstat: case SYS_newfstatat: case SYS_fstat:
  case SYS_access: case SYS_faccessat: case SYS_faccessat2: {
    long R;
    auto *St = reinterpret_cast<struct stat *>(
        Nr == SYS_newfstatat ? A[2] : A[1]);
    auto *Path = reinterpret_cast<const char *>(
        Nr == SYS_stat || Nr == SYS_lstat || Nr == SYS_access ? A[0] : A[1]);
    const bool Mine =
        Nr == SYS_fstat ? filesFstat(int(A[0]), St, &R)
        : Nr == SYS_stat ? filesStat(AT_FDCWD, Path, 0, St, &R)
        : Nr == SYS_lstat
            ? filesStat(AT_FDCWD, Path, AT_SYMLINK_NOFOLLOW, St, &R)
        : Nr == SYS_newfstatat ? filesStat(int(A[0]), Path, int(A[3]), St, &R)
        : Nr == SYS_access ? filesAccess(AT_FDCWD, Path, int(A[1]), &R)
                           : filesAccess(int(A[0]), Path, int(A[2]), &R);
    if (Mine)
      return R;
    return hostSyscall(Nr, A[0], A[1], A[2], A[3], A[4], A[5]);
  }
  case SYS_fcntl:
    return onFcntl(A, IP);
  case SYS_flock:
    // On a contained copy the lock is private to the candidate.
    if (filesContained(int(A[0]), false))
      return hostSyscall(Nr, A[0], A[1]);
    return deny(Nr, IP);
  case SYS_statx: case SYS_getcwd: case SYS_readlink: case SYS_readlinkat:
  case SYS_getdents64: case SYS_getpid: case SYS_gettid: case SYS_getppid:
  case SYS_getuid: case SYS_geteuid: case SYS_getgid: case SYS_getegid:
  case SYS_getgroups: case SYS_clock_gettime: case SYS_clock_getres:
  case SYS_gettimeofday: case SYS_time: case SYS_nanosleep:
  case SYS_clock_nanosleep: case SYS_sched_yield: case SYS_getrusage:
  case SYS_times: case SYS_getrandom: case SYS_futex:
  case SYS_rt_sigprocmask: case SYS_rt_sigaction: case SYS_sigaltstack:
  case SYS_uname: case SYS_sysinfo: case SYS_sched_getaffinity:
  case SYS_getpriority: case SYS_exit: case SYS_exit_group:
  case SYS_getpgrp: case SYS_getpgid: case SYS_getsid: case SYS_getresuid:
  case SYS_getresgid: case SYS_getitimer: case SYS_rt_sigpending:
  case SYS_getcpu: case SYS_sched_getscheduler: case SYS_sched_getparam:
  case SYS_fsync: case SYS_fdatasync: case SYS_prlimit64:
    if (Nr == SYS_prlimit64 && A[2] != 0)
      return deny(Nr, IP); // setting a limit
    return hostSyscall(Nr, A[0], A[1], A[2], A[3], A[4], A[5]);
  case SYS_tgkill: case SYS_tkill: case SYS_kill: {
    // raise() and abort() signal the process itself; pid 0 and negative
    // pids are process groups (others would receive the signal).
    const long Self = hostSyscall(SYS_getpid), Tid = hostSyscall(SYS_gettid);
    if ((Nr == SYS_kill && A[0] == Self) ||
        (Nr == SYS_tgkill && A[0] == Self && A[1] == Tid) ||
        (Nr == SYS_tkill && A[0] == Tid))
      return hostSyscall(Nr, A[0], A[1], A[2]);
    return deny(Nr, IP);
  }
  case SYS_ioctl:
    // isatty() on the standard streams.
    if (A[0] <= 2 && (A[1] == 0x5401 /*TCGETS*/ || A[1] == 0x5413))
      return hostSyscall(Nr, A[0], A[1], A[2]);
    return deny(Nr, IP);
  case SYS_write: case SYS_writev: case SYS_pwrite64: case SYS_pwritev:
  case SYS_ftruncate: case SYS_fallocate:
    if ((isOutput(A[0]) && Nr != SYS_ftruncate && Nr != SYS_fallocate) ||
        filesContained(int(A[0]), true))
      return hostSyscall(Nr, A[0], A[1], A[2], A[3], A[4], A[5]);
    return deny(Nr, IP);
  case SYS_open:
  case SYS_creat:
  case SYS_openat: {
    const int DirFd = Nr == SYS_openat ? int(A[0]) : AT_FDCWD;
    const char *Path =
        reinterpret_cast<const char *>(Nr == SYS_openat ? A[1] : A[0]);
    int Flags = int(Nr == SYS_openat ? A[2] : A[1]);
    int Mode = int(Nr == SYS_openat ? A[3] : A[2]);
    if (Nr == SYS_creat) {
      Flags = O_CREAT | O_WRONLY | O_TRUNC;
      Mode = int(A[1]);
    }
    const char *Why = nullptr;
    const long R = filesOpen(DirFd, Path, Flags, Mode, &Why);
    if (R == -EPERM)
      return deny(Nr, IP, Why);
    return R;
  }
  case SYS_close:
    return filesClose(int(A[0]));
  case SYS_brk:
    return onBrk(uintptr_t(A[0]));
  case SYS_mmap:
    return onMmap(A, IP);
  case SYS_munmap:
    return onMunmap(uintptr_t(A[0]), size_t(A[1]));
  case SYS_mprotect:
    return onMprotect(A, IP);
  case SYS_mremap:
    return onMremap(A, IP);
  case SYS_madvise:
    return onMadvise(A);
  default:
    return deny(Nr, IP);
  }
}

} // namespace

bool interposePrepare(char *Why, size_t WhyLen) {
  if (!DeniedCount)
    DeniedCount = static_cast<unsigned long long *>(
        platform::reserveZeroed(sizeof(unsigned long long)));
  if (!DeniedCount) {
    snprintf(Why, WhyLen, "cannot reserve the interposer's state");
    return false;
  }
  Denied = 0;
  if (!filesInit(Why, WhyLen))
    return false;
  filesReset();
  return true;
}

bool interposeStart(char *Why, size_t WhyLen) {
  return hostInterceptInstall(handle, Why, WhyLen);
}

void interposeStop() { hostInterceptStop(); }

unsigned long long interposeDenied() { return DeniedCount ? Denied : 0; }

} // namespace akeso::pages
