//===- pages/snapshot.cpp - page-level snapshots of the whole process -----===//
//
// See snapshot.h for the model.  The host (host.h) reports the pages
// written since they were last protected; a take turns them into the new
// node's delta and protects them again in the same scan; a restore copies
// back the content the target sees and protects what it wrote.
//
// The base copy: asynchronous write-protect reports a write after the
// fact, when the old content is gone, so the content at the root of every
// page that held data then is copied when the exploration begins (memory
// proportional to the resident writable memory, once per exploration; the
// per-snapshot cost is the pages written).  Pages that held no data then
// are dropped on restore (hostDiscard) rather than copied.
//
//===----------------------------------------------------------------------===//
#include "options.h"
#include "pages/snapshot.h"
#include "pages/host.h"
#include "pages/regions.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/mman.h>
#include <sys/syscall.h>

namespace akeso::pages {
namespace {

constexpr size_t MaxNodes = size_t(1) << 21;
constexpr size_t MaxRuns = size_t(1) << 20;
constexpr size_t RestoreStackBytes = size_t(1) << 20;
constexpr uintptr_t UserEnd = uintptr_t(1) << 47;
constexpr size_t MaxBases = size_t(1) << 16;
constexpr size_t BaseSlotBytes = size_t(1) << 34; // address space only

struct BaseRange {
  uintptr_t Lo, Hi;
  uintptr_t *Slots;
};

struct State {
  bool Active;
  Node *Root, *Current;
  Node *Nodes;
  size_t NodesUsed;
  Node *FreeNodes;
  PageRun *Runs;
  // The base: for each mapping tracked at the root, a dense array with a
  // slot per page (its copy, or null).  Dense rather than hashed: filled
  // in address order, it touches one slot page per 512 pages, where a
  // hash map would take a first-touch fault per entry.
  BaseRange *Bases;
  size_t BaseCount;
  uintptr_t *BaseSlots;
  size_t BaseSlotsUsed;
  PageMap Needed;
  unsigned Epoch;
  uintptr_t Brk;       // the program break the program sees
  uintptr_t KernelBrk; // the kernel's: heap growth is kept for reuse
  // The lowest tracked page of the thread's stack, which grows down.
  uintptr_t StackLo;
  char *RestoreStack;
  SnapshotStats Stats;
};
State *S = nullptr;

[[noreturn]] void fail(const char *What) {
  char Msg[256];
  int Len = snprintf(Msg, sizeof(Msg), "akeso pages: %s\n", What);
  platform::writeError(Msg, size_t(Len));
  platform::die();
}

// Every run of written tracked pages into S->Runs; Rearm protects them
// again.  Returns the number of runs.
size_t collectWritten(bool Rearm) {
  size_t Count = 0;
  uintptr_t From = 0;
  for (;;) {
    uintptr_t End = 0;
    const size_t N = hostCollect(From, UserEnd, Rearm, S->Runs + Count,
                                 MaxRuns - Count, &End);
    Count += N;
    if (End >= UserEnd - PageSize || N == 0)
      break;
    if (Count == MaxRuns)
      fail("more than 2^20 runs of written pages in one snapshot");
    From = End;
  }
  return Count;
}

Node *allocNode() {
  Node *N = S->FreeNodes;
  if (N) {
    S->FreeNodes = N->StackNext;
  } else {
    if (S->NodesUsed == MaxNodes)
      fail("more than 2^21 live snapshots");
    N = &S->Nodes[S->NodesUsed++];
  }
  memset(static_cast<void *>(N), 0, sizeof(Node));
  return N;
}

void freeNode(Node *N) {
  for (size_t I = 0; I < N->DeltaCount; ++I)
    pageFree(N->Delta[I].Copy);
  savedFree(N->Delta, N->DeltaCount);
  N->Delta = nullptr;
  N->DeltaCount = 0;
  N->StackNext = S->FreeNodes;
  S->FreeNodes = N;
}

// The runtime's own memory is never part of a snapshot.
struct Reserved {
  uintptr_t Lo[4096], Hi[4096];
  size_t Count;
};
Reserved *Excluded = nullptr;

void addReserved(uintptr_t Lo, uintptr_t Hi, void *) {
  if (Excluded->Count < 4096) {
    Excluded->Lo[Excluded->Count] = Lo;
    Excluded->Hi[Excluded->Count++] = pageUp(Hi);
  }
}

struct BeginError {
  char *Why;
  size_t WhyLen;
  bool Failed;
};

void trackPiece(uintptr_t Lo, uintptr_t Hi, int Prot, bool Anon,
                BeginError *E) {
  if (Lo >= Hi || E->Failed)
    return;
  long R = hostTrack(Lo, Hi);
  if (R != 0) {
    snprintf(E->Why, E->WhyLen,
             "cannot write-track the mapping [%#lx, %#lx): userfaultfd "
             "register failed (%s)",
             Lo, Hi, strerror(int(-R)));
    E->Failed = true;
    return;
  }
  regionAdd(Lo, Hi, RegionKind::Root, Prot, nullptr, Anon);
  S->Stats.TrackedBytes += Hi - Lo;
}

// Tracks [Lo, Hi) minus the runtime's reserved ranges.
void trackMapping(uintptr_t Lo, uintptr_t Hi, const char *Perms,
                  const char *Name, void *Arg) {
  auto *E = static_cast<BeginError *>(Arg);
  if (Perms[1] != 'w' || Perms[3] != 'p')
    return; // read-only or shared: nothing a snapshot must keep
  if (!strcmp(Name, "[vvar]") || !strcmp(Name, "[vsyscall]") ||
      !strcmp(Name, "[vdso]") || !strcmp(Name, "[vvar_vclock]"))
    return;
  int Prot = PROT_READ | PROT_WRITE | (Perms[2] == 'x' ? PROT_EXEC : 0);
  // No file behind it: anonymous mappings, [heap], [stack].
  const bool Anon = Name[0] == 0 || Name[0] == '[';
  uintptr_t From = Lo;
  while (From < Hi) {
    // The lowest reserved range overlapping [From, Hi) cuts the piece.
    uintptr_t CutLo = Hi, CutHi = Hi;
    for (size_t I = 0; I < Excluded->Count; ++I) {
      if (Excluded->Lo[I] >= Hi || Excluded->Hi[I] <= From)
        continue;
      const uintptr_t L = Excluded->Lo[I] < From ? From : Excluded->Lo[I];
      if (L < CutLo) {
        CutLo = L;
        CutHi = Excluded->Hi[I] < Hi ? Excluded->Hi[I] : Hi;
      }
    }
    trackPiece(From, CutLo, Prot, Anon, E);
    From = CutHi;
  }
}

void copyBase() {
  S->BaseCount = 0;
  S->BaseSlotsUsed = 0;
  for (size_t I = 0; I < regionCount() && S->BaseCount < MaxBases; ++I) {
    const Region G = *regionAt(I);
    const size_t Pages = (G.Hi - G.Lo) / PageSize;
    if ((S->BaseSlotsUsed + Pages) * sizeof(uintptr_t) > BaseSlotBytes)
      fail("the tracked address space is too large for the base copy's "
           "index");
    BaseRange &B = S->Bases[S->BaseCount++]; // regions are sorted
    B = BaseRange{G.Lo, G.Hi, S->BaseSlots + S->BaseSlotsUsed};
    S->BaseSlotsUsed += Pages;
    uintptr_t From = G.Lo;
    while (From < G.Hi) {
      uintptr_t End = 0;
      const size_t N = hostPresent(From, G.Hi, S->Runs, MaxRuns, &End);
      for (size_t J = 0; J < N; ++J)
        for (uintptr_t P = S->Runs[J].Lo; P < S->Runs[J].Hi; P += PageSize) {
          char *Copy = pageAlloc();
          memcpy(Copy, reinterpret_cast<void *>(P), PageSize);
          B.Slots[(P - G.Lo) / PageSize] = uintptr_t(Copy);
          ++S->Stats.BasePages;
        }
      if (N == 0 || End >= G.Hi)
        break;
      From = End;
    }
  }
}

// The base copy of page P, or 0.
uintptr_t baseCopy(uintptr_t P) {
  size_t L = 0, H = S->BaseCount;
  while (L < H) {
    size_t M = (L + H) / 2;
    if (S->Bases[M].Hi <= P)
      L = M + 1;
    else
      H = M;
  }
  if (L < S->BaseCount && S->Bases[L].Lo <= P)
    return S->Bases[L].Slots[(P - S->Bases[L].Lo) / PageSize];
  return 0;
}

// Fills Node's delta from S->Runs[0, Count).
void saveRuns(Node *N, size_t Count) {
  size_t Pages = 0;
  for (size_t I = 0; I < Count; ++I)
    Pages += (S->Runs[I].Hi - S->Runs[I].Lo) / PageSize;
  N->Delta = savedAlloc(Pages);
  N->DeltaCount = Pages;
  size_t K = 0;
  for (size_t I = 0; I < Count; ++I)
    for (uintptr_t P = S->Runs[I].Lo; P < S->Runs[I].Hi; P += PageSize) {
      char *Copy = pageAlloc();
      memcpy(Copy, reinterpret_cast<void *>(P), PageSize);
      N->Delta[K++] = SavedPage{P, Copy};
    }
  S->Stats.PagesSaved += Pages;
}

unsigned long long nowNs() {
  timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return (unsigned long long)T.tv_sec * 1000000000ULL + T.tv_nsec;
}

bool isLive(const void *Owner) {
  return static_cast<const Node *>(Owner)->Mark == S->Epoch;
}

void markNeeded(const Node *N) {
  for (size_t I = 0; I < N->DeltaCount; ++I)
    S->Needed.at(N->Delta[I].Page) = 1;
}

} // namespace

bool snapBegin(char *Why, size_t WhyLen) {
  if (!S) {
    S = static_cast<State *>(platform::reserveZeroed(sizeof(State)));
    Excluded = static_cast<Reserved *>(platform::reserveZeroed(sizeof(Reserved)));
    if (!S || !Excluded) {
      snprintf(Why, WhyLen, "cannot reserve the snapshot engine's state");
      return false;
    }
    S->Nodes = static_cast<Node *>(
        platform::reserveZeroed(MaxNodes * sizeof(Node)));
    S->Runs = static_cast<PageRun *>(
        platform::reserveZeroed(MaxRuns * sizeof(PageRun)));
    S->RestoreStack =
        static_cast<char *>(platform::reserveZeroed(RestoreStackBytes));
    S->Bases = static_cast<BaseRange *>(
        platform::reserveZeroed(MaxBases * sizeof(BaseRange)));
    S->BaseSlots =
        static_cast<uintptr_t *>(platform::reserveZeroed(BaseSlotBytes));
    if (!S->Nodes || !S->Runs || !S->RestoreStack || !S->Bases ||
        !S->BaseSlots || !S->Needed.init(16, true)) {
      snprintf(Why, WhyLen, "cannot reserve the snapshot engine's tables");
      return false;
    }
  }
  if (!storeInit(Why, WhyLen) || !regionsInit(Why, WhyLen) ||
      !hostOpen(Why, WhyLen))
    return false;
  S->Stats = SnapshotStats{};
  regionsReset();
  // Every reservation is made by now; the rest of the address space that
  // is writable and private belongs to the program.
  Excluded->Count = 0;
  platform::forEachReserved(addReserved, nullptr);
  BeginError E{Why, WhyLen, false};
  if (!forEachMapping(trackMapping, &E)) {
    snprintf(Why, WhyLen, "cannot read /proc/self/maps");
    E.Failed = true;
  }
  if (E.Failed) {
    hostClose();
    return false;
  }
  for (size_t I = 0; I < regionCount(); ++I)
    hostProtect(regionAt(I)->Lo, regionAt(I)->Hi);
  copyBase();
  // The root: what was written while the base was copied (the runtime's
  // own frames on the stack) is its delta, newer than the base.
  Node *Root = allocNode();
  Root->Refs = 1; // the running candidate
  S->Brk = S->KernelBrk = uintptr_t(hostSyscall(SYS_brk, 0));
  Root->Brk = S->Brk;
  saveRuns(Root, collectWritten(true));
  for (size_t I = 0; I < regionCount(); ++I)
    regionAt(I)->Owner = Root;
  S->Root = S->Current = Root;
  const Region *Stack = regionFind(platform::stackPointer());
  S->StackLo = Stack ? Stack->Lo : 0;
  S->Active = true;
  return true;
}

// The stack grew below what was tracked when the exploration began: the
// frames between the stack pointer and the old bottom belong to the
// snapshot being taken, so they are tracked from now on.  (Pages below a
// snapshot's stack pointer are dead in it, so a restore need not know
// what they held before.)
static void trackStackGrowth() {
  const uintptr_t Lo = pageDown(platform::stackPointer());
  if (!S->StackLo || Lo >= S->StackLo)
    return;
  if (hostTrack(Lo, S->StackLo) != 0 ||
      !regionAdd(Lo, S->StackLo, RegionKind::Root, PROT_READ | PROT_WRITE,
                 S->Root, true))
    fail("cannot track the stack's growth below the exploration's start");
  S->StackLo = Lo;
}

bool snapIsLive(const void *Owner) { return Owner && isLive(Owner); }

bool snapActive() { return S && S->Active; }
Node *snapRoot() { return S->Root; }
Node *snapCurrent() { return S->Current; }
void *snapRestoreStack() { return S->RestoreStack + RestoreStackBytes - 64; }
uintptr_t snapBrk() { return S->Brk; }
void snapSetBrk(uintptr_t Brk) { S->Brk = Brk; }
uintptr_t snapKernelBrk() { return S->KernelBrk; }
void snapSetKernelBrk(uintptr_t Brk) { S->KernelBrk = Brk; }
const SnapshotStats &snapStats() { return S->Stats; }

Node *snapTake() {
  const unsigned long long T0 = nowNs();
  trackStackGrowth();
  Node *C = S->Current;
  Node *N = allocNode();
  N->Parent = C;
  N->Depth = C->Depth + 1;
  N->Refs = 1; // the running candidate (C keeps its reference as a parent)
  N->Brk = S->Brk;
  saveRuns(N, collectWritten(true));
  regionsAssignOwner(N);
  S->Current = N;
  ++S->Stats.Takes;
  S->Stats.TakeNs += nowNs() - T0;
  return N;
}

void snapRestore(Node *T) {
  const unsigned long long T0 = nowNs();
  ++S->Epoch;
  for (Node *X = T; X; X = X->Parent)
    X->Mark = S->Epoch;
  // The pages that may differ from what T sees.
  S->Needed.clear();
  const size_t Runs = collectWritten(false);
  for (size_t I = 0; I < Runs; ++I)
    for (uintptr_t P = S->Runs[I].Lo; P < S->Runs[I].Hi; P += PageSize)
      S->Needed.at(P) = 1;
  Node *A = S->Current;
  for (; A->Mark != S->Epoch; A = A->Parent)
    markNeeded(A);
  for (Node *X = T; X != A; X = X->Parent)
    markNeeded(X);
  // The address space as T saw it, before its pages are filled in.
  regionsRevert(isLive);
  // The program break goes back to T's; the kernel keeps the memory above
  // it (tracked, owned by the root) for the next growth, which zeroes
  // what it reuses: re-growing costs no system call and no page faults.
  S->Brk = T->Brk;
  // The nearest delta up T's path, else the base, else nothing.
  size_t Remaining = S->Needed.size();
  for (const Node *X = T; X && Remaining; X = X->Parent)
    for (size_t I = 0; I < X->DeltaCount; ++I) {
      uintptr_t *V = S->Needed.find(X->Delta[I].Page);
      if (!V || *V != 1)
        continue;
      *V = 2;
      --Remaining;
      if (regionFind(X->Delta[I].Page))
        memcpy(reinterpret_cast<void *>(X->Delta[I].Page), X->Delta[I].Copy,
               PageSize);
    }
  unsigned long long Restored = S->Needed.size();
  // Pages with no saved content held none at the root: zeros (anonymous
  // memory) or dropped, in runs (one madvise per run of neighbours).
  // Value 3 marks the dropped ones.
  size_t Drops = 0;
  if (Remaining)
    S->Needed.forEach([&](uintptr_t P, uintptr_t V) {
      if (V != 1 || !regionFind(P))
        return;
      if (uintptr_t Copy = baseCopy(P)) {
        memcpy(reinterpret_cast<void *>(P), reinterpret_cast<void *>(Copy),
               PageSize);
        return;
      }
      if (regionFind(P)->Anon) {
        // Zeros, written rather than dropped: dropping costs a system
        // call now and a fault at the next touch.
        memset(reinterpret_cast<void *>(P), 0, PageSize);
        return;
      }
      *S->Needed.find(P) = 3;
      if (Drops && S->Runs[Drops - 1].Hi == P)
        S->Runs[Drops - 1].Hi += PageSize;
      else if (Drops < MaxRuns)
        S->Runs[Drops++] = PageRun{P, P + PageSize};
      else
        hostDiscard(P, P + PageSize);
    });
  for (size_t I = 0; I < Drops; ++I)
    hostDiscard(S->Runs[I].Lo, S->Runs[I].Hi);
  // What the copies wrote now matches T: protect it again.  (Every page
  // written since the last re-arm is in Needed; a dropped page is known
  // to the host already.)
  if (hostRearmsByPage())
    S->Needed.forEach([&](uintptr_t P, uintptr_t V) {
      if (V != 3 && regionFind(P))
        hostRearmPage(P);
    });
  else
    collectWritten(true);
  snapRef(T);
  Node *Old = S->Current;
  S->Current = T;
  snapUnref(Old);
  ++S->Stats.Restores;
  S->Stats.PagesRestored += Restored;
  S->Stats.RestoreNs += nowNs() - T0;
}

void snapRef(Node *N) { ++N->Refs; }

void snapUnref(Node *N) {
  while (N && --N->Refs == 0) {
    Node *Parent = N->Parent;
    freeNode(N);
    N = Parent;
  }
}

void snapEnd(bool Keep) {
  // The kernel's break back to the program's: the heap cached above it
  // is released.
  if (S->KernelBrk != S->Brk)
    hostSyscall(SYS_brk, long(S->Brk));
  if (rt::Flags.Stats) {
    char Msg[512];
    const SnapshotStats &T = S->Stats;
    int Len = snprintf(
        Msg, sizeof(Msg),
        "akeso pages: %llu snapshots (%llu pages saved, %.1f us each), %llu "
        "restores (%llu pages restored, %.1f us each); base %llu pages of "
        "%llu tracked bytes; peak %zu page copies held\n",
        T.Takes, T.PagesSaved, T.Takes ? T.TakeNs / 1e3 / T.Takes : 0.0,
        T.Restores, T.PagesRestored,
        T.Restores ? T.RestoreNs / 1e3 / T.Restores : 0.0, T.BasePages,
        T.TrackedBytes, pagesPeak());
    platform::writeError(Msg, size_t(Len));
  }
  if (Keep)
    regionsCommit();
  hostClose();
  memset(S->BaseSlots, 0, S->BaseSlotsUsed * sizeof(uintptr_t));
  S->BaseSlotsUsed = S->BaseCount = 0;
  S->Needed.clear();
  storeReset();
  regionsReset();
  S->NodesUsed = 0;
  S->FreeNodes = nullptr;
  S->Root = S->Current = nullptr;
  S->Active = false;
}

} // namespace akeso::pages
