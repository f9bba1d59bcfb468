//===- pages/store.cpp - memory for page snapshots -------------------------===//
//
// Bump allocation from large reserved ranges with free lists: page copies
// are recycled as soon as the snapshot holding them is discarded, so the
// memory in use follows the pages written by live candidates.
//
//===----------------------------------------------------------------------===//
#include "pages/store.h"
#include "pages/host.h"
#include "platform/platform.h"

#include <cstdio>
#include <cstring>
#include <sys/mman.h>

namespace akeso::pages {
namespace {

constexpr size_t PageArenaBytes = size_t(1) << 36;  // address space only
constexpr size_t ArrayArenaBytes = size_t(1) << 33;
constexpr unsigned Classes = 32;

struct FreeNode {
  FreeNode *Next;
};

struct Store {
  char *Pages = nullptr, *Arrays = nullptr;
  size_t PagesUsed = 0, ArraysUsed = 0;
  FreeNode *FreePages = nullptr;
  FreeNode *FreeArrays[Classes] = {};
  size_t Held = 0, Peak = 0;
};
Store *S = nullptr;

unsigned sizeClass(size_t Count) {
  unsigned C = 0;
  while ((size_t(1) << C) < Count)
    ++C;
  return C;
}

[[noreturn]] void outOfMemory(const char *What) {
  char Msg[160];
  int Len = snprintf(Msg, sizeof(Msg),
                     "akeso pages: the snapshot store is out of %s\n", What);
  platform::writeError(Msg, size_t(Len));
  platform::die();
}

} // namespace

bool storeInit(char *Why, size_t WhyLen) {
  if (S)
    return true;
  void *State = platform::reserveZeroed(sizeof(Store));
  void *P = platform::reserveZeroed(PageArenaBytes);
  void *A = platform::reserveZeroed(ArrayArenaBytes);
  if (!State || !P || !A) {
    snprintf(Why, WhyLen, "cannot reserve address space for page copies");
    return false;
  }
  S = static_cast<Store *>(State);
  S->Pages = static_cast<char *>(P);
  S->Arrays = static_cast<char *>(A);
  return true;
}

char *pageAlloc() {
  char *Copy;
  if (S->FreePages) {
    Copy = reinterpret_cast<char *>(S->FreePages);
    S->FreePages = S->FreePages->Next;
  } else {
    if (S->PagesUsed + PageSize > PageArenaBytes)
      outOfMemory("page copies");
    Copy = S->Pages + S->PagesUsed;
    S->PagesUsed += PageSize;
  }
  if (++S->Held > S->Peak)
    S->Peak = S->Held;
  return Copy;
}

void pageFree(char *Copy) {
  auto *N = reinterpret_cast<FreeNode *>(Copy);
  N->Next = S->FreePages;
  S->FreePages = N;
  --S->Held;
}

size_t pagesHeld() { return S ? S->Held : 0; }
size_t pagesPeak() { return S ? S->Peak : 0; }

SavedPage *savedAlloc(size_t Count) {
  if (Count == 0)
    return nullptr;
  const unsigned C = sizeClass(Count);
  if (FreeNode *N = S->FreeArrays[C]) {
    S->FreeArrays[C] = N->Next;
    return reinterpret_cast<SavedPage *>(N);
  }
  const size_t Bytes = (size_t(1) << C) * sizeof(SavedPage);
  if (S->ArraysUsed + Bytes > ArrayArenaBytes)
    outOfMemory("index arrays");
  auto *A = reinterpret_cast<SavedPage *>(S->Arrays + S->ArraysUsed);
  S->ArraysUsed += Bytes;
  return A;
}

void savedFree(SavedPage *Array, size_t Count) {
  if (!Array)
    return;
  auto *N = reinterpret_cast<FreeNode *>(Array);
  const unsigned C = sizeClass(Count);
  N->Next = S->FreeArrays[C];
  S->FreeArrays[C] = N;
}

void storeReset() {
  // Give the memory back to the kernel; the ranges stay reserved.
  madvise(S->Pages, S->PagesUsed, MADV_DONTNEED);
  madvise(S->Arrays, S->ArraysUsed, MADV_DONTNEED);
  char *P = S->Pages, *A = S->Arrays;
  memset(S, 0, sizeof(*S));
  S->Pages = P;
  S->Arrays = A;
}

bool PageMap::init(size_t LogCapacity, bool Populate) {
  const size_t Cap = size_t(1) << LogCapacity;
  Keys = static_cast<uintptr_t *>(
      platform::reserveZeroed(Cap * sizeof(uintptr_t)));
  Values = static_cast<uintptr_t *>(
      platform::reserveZeroed(Cap * sizeof(uintptr_t)));
  Used = static_cast<uint32_t *>(platform::reserveZeroed(Cap * 4));
  Mask = Cap - 1;
  if (!Keys || !Values || !Used)
    return false;
  if (Populate) {
    constexpr int MadvPopulateWrite = 23; // Linux 5.14
    madvise(Keys, Cap * sizeof(uintptr_t), MadvPopulateWrite);
    madvise(Values, Cap * sizeof(uintptr_t), MadvPopulateWrite);
  }
  return true;
}

static size_t hashPage(uintptr_t Page) {
  return size_t((Page >> 12) * 0x9E3779B97F4A7C15ULL >> 20);
}

uintptr_t &PageMap::at(uintptr_t Page) {
  size_t I = hashPage(Page) & Mask;
  while (Keys[I] != 0 && Keys[I] != Page)
    I = (I + 1) & Mask;
  if (Keys[I] == 0) {
    if (Count * 4 >= Mask * 3)
      outOfMemory("hash map slots (too many distinct pages written)");
    Keys[I] = Page;
    Values[I] = 0;
    Used[Count++] = uint32_t(I);
  }
  return Values[I];
}

uintptr_t PageMap::get(uintptr_t Page) const {
  size_t I = hashPage(Page) & Mask;
  while (Keys[I] != 0) {
    if (Keys[I] == Page)
      return Values[I];
    I = (I + 1) & Mask;
  }
  return 0;
}

uintptr_t *PageMap::find(uintptr_t Page) {
  size_t I = hashPage(Page) & Mask;
  while (Keys[I] != 0) {
    if (Keys[I] == Page)
      return &Values[I];
    I = (I + 1) & Mask;
  }
  return nullptr;
}

void PageMap::clear() {
  for (size_t I = 0; I < Count; ++I)
    Keys[Used[I]] = 0;
  Count = 0;
}

} // namespace akeso::pages
