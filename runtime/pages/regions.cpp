//===- pages/regions.cpp - the address space a page snapshot covers -------===//
//
// A sorted array of regions and two small logs, in runtime memory.  The
// counts are small (tens of mappings; one log entry per munmap/mprotect of
// an older mapping inside an extension), so linear work is fine.
//
//===----------------------------------------------------------------------===//
#include "pages/regions.h"
#include "pages/host.h"
#include "platform/platform.h"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

namespace akeso::pages {
namespace {

constexpr size_t MaxRegions = 1 << 16, MaxLog = 1 << 16;

struct LogEntry {
  uintptr_t Lo, Hi;
  const void *Owner;
  int OldProt;
};

struct Regions {
  Region Items[MaxRegions];
  size_t Count;
  LogEntry Unmaps[MaxLog];
  size_t UnmapCount;
  LogEntry Prots[MaxLog];
  size_t ProtCount;
  char MapsBuf[1 << 16];
};
Regions *R = nullptr;

} // namespace

bool regionsInit(char *Why, size_t WhyLen) {
  if (!R)
    R = static_cast<Regions *>(platform::reserveZeroed(sizeof(Regions)));
  if (!R)
    snprintf(Why, WhyLen, "cannot reserve the region table");
  return R != nullptr;
}

void regionsReset() { R->Count = R->UnmapCount = R->ProtCount = 0; }

bool regionAdd(uintptr_t Lo, uintptr_t Hi, RegionKind Kind, int Prot,
               const void *Owner, bool Anon) {
  if (R->Count == MaxRegions)
    return false;
  size_t I = R->Count;
  while (I > 0 && R->Items[I - 1].Lo > Lo) {
    R->Items[I] = R->Items[I - 1];
    --I;
  }
  R->Items[I] = Region{Lo, Hi, Owner, Prot, Kind, Anon};
  ++R->Count;
  return true;
}

Region *regionFind(uintptr_t Addr) {
  size_t L = 0, H = R->Count;
  while (L < H) {
    size_t M = (L + H) / 2;
    if (R->Items[M].Hi <= Addr)
      L = M + 1;
    else
      H = M;
  }
  if (L < R->Count && R->Items[L].Lo <= Addr && Addr < R->Items[L].Hi)
    return &R->Items[L];
  return nullptr;
}

size_t regionCount() { return R->Count; }
Region *regionAt(size_t I) { return &R->Items[I]; }

void regionRemove(uintptr_t Lo) {
  for (size_t I = 0; I < R->Count; ++I)
    if (R->Items[I].Lo == Lo) {
      memmove(&R->Items[I], &R->Items[I + 1],
              (R->Count - I - 1) * sizeof(Region));
      --R->Count;
      return;
    }
}

bool deferUnmap(uintptr_t Lo, uintptr_t Hi) {
  if (R->UnmapCount == MaxLog)
    return false;
  R->Unmaps[R->UnmapCount++] = LogEntry{Lo, Hi, nullptr, 0};
  return true;
}

bool logProtect(uintptr_t Lo, uintptr_t Hi, int OldProt) {
  if (R->ProtCount == MaxLog)
    return false;
  R->Prots[R->ProtCount++] = LogEntry{Lo, Hi, nullptr, OldProt};
  return true;
}

void regionsAssignOwner(const void *Node) {
  for (size_t I = 0; I < R->Count; ++I)
    if (!R->Items[I].Owner)
      R->Items[I].Owner = Node;
  for (size_t I = 0; I < R->UnmapCount; ++I)
    if (!R->Unmaps[I].Owner)
      R->Unmaps[I].Owner = Node;
  for (size_t I = 0; I < R->ProtCount; ++I)
    if (!R->Prots[I].Owner)
      R->Prots[I].Owner = Node;
}

void regionsRevert(bool (*Live)(const void *)) {
  // Protections first, newest first: a page restored below must have the
  // protection it had in the target.
  size_t Kept = 0;
  for (size_t I = R->ProtCount; I-- > 0;) {
    const LogEntry &E = R->Prots[I];
    if (!E.Owner || !Live(E.Owner))
      hostSyscall(SYS_mprotect, long(E.Lo), long(E.Hi - E.Lo), E.OldProt);
  }
  for (size_t I = 0; I < R->ProtCount; ++I)
    if (R->Prots[I].Owner && Live(R->Prots[I].Owner))
      R->Prots[Kept++] = R->Prots[I];
  R->ProtCount = Kept;
  Kept = 0;
  for (size_t I = 0; I < R->UnmapCount; ++I)
    if (R->Unmaps[I].Owner && Live(R->Unmaps[I].Owner))
      R->Unmaps[Kept++] = R->Unmaps[I];
  R->UnmapCount = Kept;
  // Mappings made after the target: gone (brk regions are released by the
  // caller's brk, which the kernel carries out as an unmap).
  Kept = 0;
  for (size_t I = 0; I < R->Count; ++I) {
    Region &G = R->Items[I];
    if (G.Kind == RegionKind::Root || (G.Owner && Live(G.Owner))) {
      R->Items[Kept++] = G;
      continue;
    }
    // (Brk regions are unmapped by the caller's brk.)
    hostUntrack(G.Lo, G.Hi);
    if (G.Kind == RegionKind::Mapped)
      hostSyscall(SYS_munmap, long(G.Lo), long(G.Hi - G.Lo));
  }
  R->Count = Kept;
}

void regionsCommit() {
  for (size_t I = 0; I < R->UnmapCount; ++I) {
    const LogEntry &E = R->Unmaps[I];
    hostSyscall(SYS_munmap, long(E.Lo), long(E.Hi - E.Lo));
  }
  R->UnmapCount = 0;
}

bool forEachMapping(void (*Fn)(uintptr_t, uintptr_t, const char *,
                               const char *, void *),
                    void *Arg) {
  int Fd = int(hostSyscall(SYS_openat, AT_FDCWD, long("/proc/self/maps"),
                           O_RDONLY | O_CLOEXEC));
  if (Fd < 0)
    return false;
  // Read it whole first: the callbacks may change the mappings.
  size_t Len = 0;
  for (;;) {
    long N = hostSyscall(SYS_read, Fd, long(R->MapsBuf + Len),
                         long(sizeof(R->MapsBuf) - 1 - Len));
    if (N <= 0)
      break;
    Len += size_t(N);
    if (Len == sizeof(R->MapsBuf) - 1)
      break;
  }
  hostSyscall(SYS_close, Fd);
  R->MapsBuf[Len] = 0;
  // Copy out (the callback may re-enter forEachMapping's buffer users).
  char *Line = R->MapsBuf;
  while (*Line) {
    char *End = strchr(Line, '\n');
    if (End)
      *End = 0;
    unsigned long Lo = 0, Hi = 0;
    char Perms[8] = "";
    int NameAt = 0;
    if (sscanf(Line, "%lx-%lx %7s %*s %*s %*s %n", &Lo, &Hi, Perms,
               &NameAt) >= 3)
      Fn(Lo, Hi, Perms, NameAt > 0 ? Line + NameAt : "", Arg);
    if (!End)
      break;
    Line = End + 1;
  }
  return true;
}

} // namespace akeso::pages
