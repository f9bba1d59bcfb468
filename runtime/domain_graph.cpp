//===- domain_graph.cpp - domain records, rings and edge sets -------------===//
#include "domain_graph.h"

#include "options.h"
#include "report.h"
#include "stop_world.h"
#include "thread_state.h"

namespace akeso::rt {

DomainNode *NodeTable = nullptr;

namespace {

platform::GlobalLock GraphLock;
DomainNode *Completed = nullptr;

std::atomic<size_t> NextRing{0};
platform::GlobalLock RingLock;
size_t FreeRings[4096];
size_t FreeRingCount = 0;

// Overflow storage of edge sets: fixed blocks from a free list refilled by
// mmap, never returned to the system.
platform::GlobalLock BlockLock;
void *FreeBlocks = nullptr;

} // namespace

struct EdgeSet::Block {
  static constexpr size_t Ids = 62;
  DomainId Id[Ids];
  Block *Next;
};

static EdgeSet::Block *allocateBlock() {
  BlockLock.lock();
  if (!FreeBlocks) {
    constexpr size_t Batch = 256;
    char *Memory = static_cast<char *>(
        platform::reserveZeroed(Batch * sizeof(EdgeSet::Block)));
    if (!Memory)
      fatal("cannot reserve memory for dependence edges");
    for (size_t I = 0; I < Batch; ++I) {
      void *B = Memory + I * sizeof(EdgeSet::Block);
      *static_cast<void **>(B) = FreeBlocks;
      FreeBlocks = B;
    }
  }
  void *B = FreeBlocks;
  FreeBlocks = *static_cast<void **>(B);
  BlockLock.unlock();
  auto *Result = static_cast<EdgeSet::Block *>(B);
  Result->Next = nullptr;
  return Result;
}

static void freeBlocks(EdgeSet::Block *B) {
  BlockLock.lock();
  while (B) {
    EdgeSet::Block *Next = B->Next;
    *reinterpret_cast<void **>(B) = FreeBlocks;
    FreeBlocks = B;
    B = Next;
  }
  BlockLock.unlock();
}

DomainId &EdgeSet::slot(size_t I) {
  if (I < InlineIds)
    return Inline[I];
  I -= InlineIds;
  Block *B = More;
  while (I >= Block::Ids) {
    B = B->Next;
    I -= Block::Ids;
  }
  return B->Id[I];
}

DomainId EdgeSet::at(size_t I) const {
  return const_cast<EdgeSet *>(this)->slot(I);
}

bool EdgeSet::contains(DomainId Id) const {
  for (size_t I = 0; I < Count; ++I)
    if (at(I) == Id)
      return true;
  return false;
}

void EdgeSet::add(DomainId Id) {
  size_t I = Count;
  if (I >= InlineIds) {
    size_t Rest = I - InlineIds;
    Block **Link = &More;
    while (Rest >= Block::Ids) {
      Link = &(*Link)->Next;
      Rest -= Block::Ids;
    }
    if (!*Link)
      *Link = allocateBlock();
  }
  ++Count;
  slot(I) = Id;
}

void EdgeSet::shrink(size_t NewCount) {
  Count = NewCount;
  if (Count <= InlineIds && More) {
    freeBlocks(More);
    More = nullptr;
  }
}

void initDomainGraph() {
  NodeTable = static_cast<DomainNode *>(
      platform::reserveZeroed(MaxNodes * sizeof(DomainNode)));
  if (!NodeTable)
    fatal("cannot reserve the domain record table");
}

size_t ringSize() { return Flags.MaxDomainDepth + Flags.MaxPendingDomains; }
size_t ringBase(size_t Ring) { return Ring * ringSize(); }

size_t allocateRing() {
  RingLock.lock();
  if (FreeRingCount) {
    size_t R = FreeRings[--FreeRingCount];
    RingLock.unlock();
    return R;
  }
  RingLock.unlock();
  size_t R = NextRing.fetch_add(1, std::memory_order_relaxed);
  // Record 0 is never used, so no id is 0 ("committed").
  if ((R + 1) * ringSize() + 1 > MaxNodes)
    fatal("too many threads with domains at once (%zu); lower "
          "AKESO_OPTIONS=max_domain_depth or max_pending_domains",
          R + 1);
  return R;
}

void releaseRing(size_t Ring) {
  RingLock.lock();
  if (FreeRingCount < sizeof(FreeRings) / sizeof(FreeRings[0]))
    FreeRings[FreeRingCount++] = Ring;
  RingLock.unlock();
}

// A merged record whose domain has ended is garbage: nothing resolves
// through it any more.
static bool reclaimable(DomainNode &N) {
  NodeState S = N.State.load(std::memory_order_acquire);
  if (S == NodeState::Free)
    return true;
  return S == NodeState::Merged &&
         resolve(N.MergedInto.load(std::memory_order_acquire)) == nullptr;
}

static DomainNode *takeFreeNode(ThreadState *T) {
  const size_t Size = ringSize(), Base = ringBase(T->Ring) + 1;
  for (size_t Tried = 0; Tried < Size; ++Tried) {
    size_t Index = Base + T->RingCursor;
    T->RingCursor = T->RingCursor + 1 == Size ? 0 : T->RingCursor + 1;
    if (reclaimable(NodeTable[Index]))
      return &NodeTable[Index];
  }
  return nullptr;
}

DomainNode *newNode(ThreadState *T, akeso_domain_kind Kind, const char *Name,
                    const akeso_domain_desc *Desc) {
  DomainNode *Found = takeFreeNode(T);
  // Every record is taken by an active domain or one waiting to commit:
  // wait for the domains they depend on (other threads) to commit, which
  // frees records, rather than fail at once.
  for (unsigned Waited = 0; !Found; ++Waited) {
    if (Waited == 200000)
      fatal("domain '%s': %zu domains of this thread are active or waiting "
            "to commit, and none committed for a long time; raise "
            "AKESO_OPTIONS=max_pending_domains=N, or look for a domain on "
            "another thread that never ends",
            Name, ringSize());
    pausePoint(T);
    platform::sleepMicroseconds(100);
    Found = takeFreeNode(T);
  }
  DomainNode &N = *Found;
  // Edges a freed record kept (an edge added while its domain was being
  // rolled back) must not pass to the next domain.
  N.Edges.clear();
  const DomainId Index = DomainId(&N - NodeTable);
  DomainId Old = N.Id.load(std::memory_order_relaxed);
  DomainId Generation = (Old >> NodeIndexBits) + 1;
  N.Id.store((Generation << NodeIndexBits) | Index, std::memory_order_seq_cst);
  N.HasDependents.store(false, std::memory_order_relaxed);
  N.MergedInto.store(0, std::memory_order_relaxed);
  N.Owner = T;
  N.Kind = Kind;
  N.Name = Name;
  N.Desc = Desc;
  N.LogStart = N.LogEnd = 0;
  N.SegmentBegin = N.InverseRecord = NoIndex;
  N.Detached = false;
  N.Output = nullptr;
  N.OutputFd = -1;
  N.NextCompleted = nullptr;
  N.State.store(NodeState::Active, std::memory_order_seq_cst);
  return &N;
}

void freeNode(DomainNode *N) {
  // Only the owner adds edges to an active domain, and only graph walks
  // (under the graph lock, on completed domains) change others': a domain
  // that formed none has nothing to clear and no lock to take (the common
  // case of a request that shared nothing speculative).
  if (N->Edges.size() != 0) {
    N->EdgeLock.lock();
    N->Edges.clear();
    N->EdgeLock.unlock();
  }
  N->State.store(NodeState::Free, std::memory_order_seq_cst);
}

DomainNode *resolve(DomainId Id) {
  for (unsigned Hops = 0; Id != 0 && Id != ClaimedSlot; ++Hops) {
    DomainNode *N = nodeOf(Id);
    if (N->Id.load(std::memory_order_seq_cst) != Id)
      return nullptr;
    NodeState S = N->State.load(std::memory_order_seq_cst);
    if (S == NodeState::Free || S == NodeState::Committed)
      return nullptr;
    if (S != NodeState::Merged)
      return N;
    Id = N->MergedInto.load(std::memory_order_acquire);
    if (Hops > MaxNodes)
      fatal("internal error: a cycle of merged domains");
  }
  return nullptr;
}

void lockGraph(ThreadState *T) {
  while (!GraphLock.tryLock()) {
    pausePoint(T);
    platform::yieldProcessor();
  }
}

void unlockGraph() { GraphLock.unlock(); }

DomainNode *&completedList() { return Completed; }

} // namespace akeso::rt
