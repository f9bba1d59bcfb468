//===- pages/host_compare.cpp - write tracking by comparison --------------===//
//
// See host_compare.h.  Each tracked range has a dense array of slots, one
// per page: null (no shadow), ZeroCopy (a page of zeros), or a copy in
// the snapshot store.  (A hash map costs a cache miss per lookup, more
// than comparing the page.)
// Small ranges are compared page by page without asking the kernel which
// pages hold data (one PAGEMAP_SCAN system call costs more than comparing
// a few hundred pages; reading an untouched anonymous page maps the shared
// zero page).  Large ranges (heaps of big programs, thread stacks, big
// reservations) ask PAGEMAP_SCAN, so pages never touched cost nothing.
//
//===----------------------------------------------------------------------===//
#include "pages/host_compare.h"
#include "pages/store.h"
#include "platform/platform.h"

#include <cstdio>
#include <cstring>

namespace akeso::pages::compare {
namespace {

constexpr size_t MaxRanges = 1 << 14, Batch = 512;
constexpr size_t SlotArenaBytes = size_t(1) << 34; // address space only
constexpr uintptr_t UserTop = 0x7ffffffff000ULL;
constexpr uintptr_t SmallRange = uintptr_t(1) << 20;
constexpr uintptr_t ZeroCopy = 1;
alignas(4096) const char Zeros[PageSize] = {};

struct Range {
  uintptr_t Lo, Hi;
  uintptr_t *Slots;
};

struct State {
  Range Ranges[MaxRanges]; // sorted, disjoint
  size_t Count;
  PageRun Present[Batch];
  uintptr_t *SlotArena;
  size_t SlotsUsed;
};
State *C = nullptr;

bool isZero(uintptr_t P) {
  const uint64_t *W = reinterpret_cast<const uint64_t *>(P);
  for (size_t I = 0; I < PageSize / 8; ++I)
    if (W[I])
      return false;
  return true;
}

uintptr_t &slot(Range &R, uintptr_t P) { return R.Slots[(P - R.Lo) / PageSize]; }

Range *rangeOf(uintptr_t P) {
  size_t L = 0, H = C->Count;
  while (L < H) {
    size_t M = (L + H) / 2;
    if (C->Ranges[M].Hi <= P)
      L = M + 1;
    else
      H = M;
  }
  if (L < C->Count && C->Ranges[L].Lo <= P)
    return &C->Ranges[L];
  return nullptr;
}

void setShadow(uintptr_t &Slot, uintptr_t P) {
  if (isZero(P)) {
    if (Slot > ZeroCopy)
      pageFree(reinterpret_cast<char *>(Slot));
    Slot = ZeroCopy;
    return;
  }
  if (Slot <= ZeroCopy)
    Slot = uintptr_t(pageAlloc());
  memcpy(reinterpret_cast<void *>(Slot), reinterpret_cast<void *>(P),
         PageSize);
}

bool sameAsShadow(uintptr_t Slot, uintptr_t P) {
  if (!Slot)
    return false;
  const void *Old = Slot == ZeroCopy ? Zeros : reinterpret_cast<void *>(Slot);
  return !memcmp(Old, reinterpret_cast<void *>(P), PageSize);
}

// Calls Fn(P) for every page of [Lo, Hi) that may hold data, in order;
// Fn returns false to stop (then forEachPage returns false).
template <typename Fn> bool forEachPage(uintptr_t Lo, uintptr_t Hi, Fn F) {
  if (Hi - Lo <= SmallRange) {
    for (uintptr_t P = Lo; P < Hi; P += PageSize)
      if (!F(P))
        return false;
    return true;
  }
  uintptr_t From = Lo;
  while (From < Hi) {
    uintptr_t End = 0;
    const size_t N = hostPresent(From, Hi, C->Present, Batch, &End);
    for (size_t J = 0; J < N; ++J)
      for (uintptr_t P = C->Present[J].Lo; P < C->Present[J].Hi; P += PageSize)
        if (!F(P))
          return false;
    if (N < Batch || End >= Hi)
      break;
    From = End;
  }
  return true;
}

} // namespace

bool open(char *Why, size_t WhyLen) {
  if (!C) {
    C = static_cast<State *>(platform::reserveZeroed(sizeof(State)));
    if (C)
      C->SlotArena = static_cast<uintptr_t *>(
          platform::reserveZeroed(SlotArenaBytes));
    if (!C || !C->SlotArena) {
      snprintf(Why, WhyLen, "cannot reserve the shadow copy's tables");
      return false;
    }
  }
  C->Count = 0;
  C->SlotsUsed = 0;
  return true;
}

void close() {
  // The copies belong to the snapshot store, which snapEnd resets after
  // this; the slots are zeroed for the next exploration.
  memset(C->SlotArena, 0, C->SlotsUsed * sizeof(uintptr_t));
  C->SlotsUsed = 0;
  C->Count = 0;
}

long track(uintptr_t Lo, uintptr_t Hi) {
  const size_t Pages = (Hi - Lo) / PageSize;
  if (C->Count == MaxRanges ||
      (C->SlotsUsed + Pages) * sizeof(uintptr_t) > SlotArenaBytes)
    return -12; // ENOMEM
  size_t I = C->Count;
  while (I > 0 && C->Ranges[I - 1].Lo > Lo) {
    C->Ranges[I] = C->Ranges[I - 1];
    --I;
  }
  C->Ranges[I] = Range{Lo, Hi, C->SlotArena + C->SlotsUsed};
  C->SlotsUsed += Pages;
  ++C->Count;
  return 0;
}

void untrack(uintptr_t Lo, uintptr_t Hi) {
  discard(Lo, Hi);
  for (size_t I = 0; I < C->Count; ++I)
    if (C->Ranges[I].Lo == Lo) {
      memmove(&C->Ranges[I], &C->Ranges[I + 1],
              (C->Count - I - 1) * sizeof(Range));
      --C->Count;
      return;
    }
}

long protect(uintptr_t Lo, uintptr_t Hi) {
  Range *R = rangeOf(Lo);
  if (!R)
    return -22; // EINVAL: not tracked
  if (Hi > R->Hi)
    Hi = R->Hi;
  forEachPage(Lo, Hi, [&](uintptr_t P) {
    setShadow(slot(*R, P), P);
    return true;
  });
  return 0;
}

size_t collect(uintptr_t Lo, uintptr_t Hi, bool Rearm, PageRun *Out,
               size_t Max, uintptr_t *ScanEnd) {
  if (Hi > UserTop)
    Hi = UserTop;
  size_t N = 0;
  uintptr_t StopAt = 0;
  for (size_t I = 0; I < C->Count; ++I) {
    Range &R = C->Ranges[I];
    const uintptr_t From = R.Lo < Lo ? Lo : R.Lo;
    const uintptr_t To = R.Hi > Hi ? Hi : R.Hi;
    if (From >= To)
      continue;
    const bool Done = forEachPage(From, To, [&](uintptr_t P) {
      uintptr_t &Slot = slot(R, P);
      if (sameAsShadow(Slot, P))
        return true;
      if (N && Out[N - 1].Hi == P) {
        Out[N - 1].Hi += PageSize;
      } else {
        if (N == Max) {
          StopAt = P; // resume here
          return false;
        }
        Out[N++] = PageRun{P, P + PageSize};
      }
      if (Rearm)
        setShadow(Slot, P);
      return true;
    });
    if (!Done) {
      *ScanEnd = StopAt;
      return N;
    }
  }
  *ScanEnd = Hi;
  return N;
}

void rearmPage(uintptr_t Page) {
  if (Range *R = rangeOf(Page))
    setShadow(slot(*R, Page), Page);
}

void discard(uintptr_t Lo, uintptr_t Hi) {
  // The page reads as zeros (or its file) again, which the shadow does
  // not hold: count it as written if it is touched again.
  for (uintptr_t P = Lo; P < Hi; P += PageSize) {
    Range *R = rangeOf(P);
    if (!R)
      continue;
    uintptr_t &Slot = slot(*R, P);
    if (Slot > ZeroCopy)
      pageFree(reinterpret_cast<char *>(Slot));
    Slot = 0;
  }
}

} // namespace akeso::pages::compare
