//===- pages/host_compare.cpp - write tracking by comparison --------------===//
//
// See host_compare.h.  The shadow is a page map from a page's address to
// a copy in the snapshot store (or to ZeroCopy for a page of zeros).
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
constexpr uintptr_t UserTop = 0x7ffffffff000ULL;
constexpr uintptr_t SmallRange = uintptr_t(1) << 20;
constexpr uintptr_t ZeroCopy = 1;
alignas(4096) const char Zeros[PageSize] = {};

struct State {
  PageRun Ranges[MaxRanges]; // sorted, disjoint
  size_t Count;
  PageRun Present[Batch];
  PageMap Shadow; // page -> copy (0: none)
};
State *C = nullptr;

bool isZero(uintptr_t P) {
  const uint64_t *W = reinterpret_cast<const uint64_t *>(P);
  for (size_t I = 0; I < PageSize / 8; ++I)
    if (W[I])
      return false;
  return true;
}

void setShadow(uintptr_t P) {
  uintptr_t &Slot = C->Shadow.at(P);
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

bool sameAsShadow(uintptr_t P) {
  const uintptr_t Copy = C->Shadow.get(P);
  if (!Copy)
    return false;
  const void *Old = Copy == ZeroCopy ? Zeros : reinterpret_cast<void *>(Copy);
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
    if (!C || !C->Shadow.init(22)) {
      snprintf(Why, WhyLen, "cannot reserve the shadow copy's tables");
      return false;
    }
  }
  C->Count = 0;
  C->Shadow.clear();
  return true;
}

void close() {
  // The copies belong to the snapshot store, which is reset with it.
  C->Shadow.forEach([](uintptr_t, uintptr_t Copy) {
    if (Copy > ZeroCopy)
      pageFree(reinterpret_cast<char *>(Copy));
  });
  C->Shadow.clear();
  C->Count = 0;
}

long track(uintptr_t Lo, uintptr_t Hi) {
  if (C->Count == MaxRanges)
    return -12; // ENOMEM
  size_t I = C->Count;
  while (I > 0 && C->Ranges[I - 1].Lo > Lo) {
    C->Ranges[I] = C->Ranges[I - 1];
    --I;
  }
  C->Ranges[I] = PageRun{Lo, Hi};
  ++C->Count;
  return 0;
}

void untrack(uintptr_t Lo, uintptr_t Hi) {
  discard(Lo, Hi);
  for (size_t I = 0; I < C->Count; ++I)
    if (C->Ranges[I].Lo == Lo) {
      memmove(&C->Ranges[I], &C->Ranges[I + 1],
              (C->Count - I - 1) * sizeof(PageRun));
      --C->Count;
      return;
    }
}

long protect(uintptr_t Lo, uintptr_t Hi) {
  forEachPage(Lo, Hi, [](uintptr_t P) {
    setShadow(P);
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
  for (size_t R = 0; R < C->Count; ++R) {
    const uintptr_t From = C->Ranges[R].Lo < Lo ? Lo : C->Ranges[R].Lo;
    const uintptr_t To = C->Ranges[R].Hi > Hi ? Hi : C->Ranges[R].Hi;
    if (From >= To)
      continue;
    const bool Done = forEachPage(From, To, [&](uintptr_t P) {
      if (sameAsShadow(P))
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
        setShadow(P);
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

void rearmPage(uintptr_t Page) { setShadow(Page); }

void discard(uintptr_t Lo, uintptr_t Hi) {
  // The page reads as zeros (or its file) again, which the shadow does
  // not hold: count it as written if it is touched again.
  for (uintptr_t P = Lo; P < Hi; P += PageSize)
    if (uintptr_t *Slot = C->Shadow.find(P); Slot && *Slot) {
      if (*Slot > ZeroCopy)
        pageFree(reinterpret_cast<char *>(*Slot));
      *Slot = 0;
    }
}

} // namespace akeso::pages::compare
