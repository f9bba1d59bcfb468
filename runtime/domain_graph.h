//===- domain_graph.h - domain records and the dependence graph -----------===//
//
// 004 §4.2-4.3: every logged domain has a record that outlives its stack
// entry until it commits or rolls back, because a completed domain that
// still depends on a speculative one must wait, and a rollback elsewhere
// may still have to undo it.  The record holds the domain's state, its
// outedge set (the domains it read speculative data from) and, once
// completed, the part of its thread's undo log it owns.
//
// A domain id names its record directly: the low bits are the record's
// index, the high bits a generation bumped each time the record is reused,
// so ids are never reused and "is domain X still live" is one comparison.
// Each thread allocates records from its own ring; any thread may free one
// (a commit cascade runs on whichever thread unblocked it).
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_DOMAIN_GRAPH_H
#define AKESO_RUNTIME_DOMAIN_GRAPH_H

#include "akeso/akeso.h"
#include "platform/platform.h"
#include "version_table.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace akeso::rt {

struct ThreadState;

enum class NodeState : uint32_t {
  Free,
  Active,      // speculative: on its thread's domain stack
  Completed,   // exited, waiting for the domains it depends on
  Merged,      // a basic domain merged into its parent (MergedInto)
  RollingBack, // being undone by a rollback in progress
  Committed,   // committed or rolled back; its actions still to run
};

constexpr unsigned NodeIndexBits = 24;
constexpr size_t MaxNodes = size_t(1) << NodeIndexBits;
constexpr DomainId NodeIndexMask = MaxNodes - 1;
// A version record holding this names a word a rollback restored but whose
// domain's thread has yet to write the final value again (see rollback.cpp);
// accesses wait until it is gone.
constexpr DomainId ClaimedSlot = ~DomainId(0);
constexpr size_t NoIndex = ~size_t(0);

// The ids a domain depends on: a few inline, more in blocks from the
// runtime's own pool (never malloc: the runtime interposes it).
class EdgeSet {
public:
  size_t size() const { return Count; }
  DomainId at(size_t I) const;
  bool contains(DomainId Id) const;
  void add(DomainId Id);
  // Keeps the ids for which Keep(id) is true.
  template <typename Fn> void retain(Fn Keep) {
    size_t Out = 0;
    for (size_t I = 0; I < Count; ++I) {
      DomainId Id = at(I);
      if (Keep(Id))
        slot(Out++) = Id;
    }
    shrink(Out);
  }
  void clear() { shrink(0); }

  struct Block;

private:
  static constexpr size_t InlineIds = 4;
  DomainId &slot(size_t I);
  void shrink(size_t NewCount);

  size_t Count = 0;
  DomainId Inline[InlineIds] = {};
  Block *More = nullptr;
};

struct DomainNode {
  std::atomic<DomainId> Id{0};
  std::atomic<NodeState> State{NodeState::Free};
  // Set by a reader before it forms an edge to this domain; checked by the
  // domain when it commits or rolls back (the two sides' seq_cst store and
  // load make sure one sees the other).
  std::atomic<bool> HasDependents{false};
  std::atomic<DomainId> MergedInto{0};
  // Non-zero while a commit, merge or detach rewrites this domain's version
  // records (commit.cpp, ReleasingVersions).
  std::atomic<unsigned> Releasing{0};
  ThreadState *Owner = nullptr;
  akeso_domain_kind Kind = AKESO_BASIC;
  const char *Name = "";
  const akeso_domain_desc *Desc = nullptr;
  // [LogStart, LogEnd) of the owner's log once completed.
  size_t LogStart = 0, LogEnd = 0;
  // A completed reversible domain nested in a logged parent: its bracket's
  // begin record and its inverse's action record in the owner's log.
  size_t SegmentBegin = NoIndex, InverseRecord = NoIndex;
  // The first output (write, send, ...) the domain performed: not undone if
  // it rolls back, which is reported.
  const char *Output = nullptr;
  int OutputFd = -1;
  // Whether this node's records still occupy the owner's log after it
  // completed (the owner cannot reuse that part of its log until then).
  bool Detached = false;
  // The completed list, or the list of domains whose deferred or undo
  // actions are still to run (under the graph lock).
  DomainNode *NextCompleted = nullptr;
  // Graph walks (under the graph lock).
  uint64_t VisitEpoch = 0;
  size_t UnitIndex = 0;
  platform::SpinLock EdgeLock;
  EdgeSet Edges;
};

void initDomainGraph();

inline DomainNode *nodeOf(DomainId Id);

// A record for a new domain of T, from T's ring.
DomainNode *newNode(ThreadState *T, akeso_domain_kind Kind, const char *Name,
                    const akeso_domain_desc *Desc);
// Returns a record to its ring.
void freeNode(DomainNode *N);

// The live, unmerged domain that Id stands for (following merges), or null
// if it has committed or rolled back.  May report a domain that is just
// ending as live; callers that act on "live" check again under the graph
// lock.
DomainNode *resolve(DomainId Id);

// The first index of T's node ring and its size; threads get disjoint
// rings.
size_t ringBase(size_t Ring);
size_t ringSize();
size_t allocateRing();
void releaseRing(size_t Ring);

// The graph lock serializes completion of dependent domains, commit
// cascades and rollbacks.  Waiting for it is a pause point (stop_world.h).
void lockGraph(ThreadState *T);
void unlockGraph();

// The domains completed but not committed, under the graph lock.
DomainNode *&completedList();

extern DomainNode *NodeTable __attribute__((visibility("hidden")));
inline DomainNode *nodeOf(DomainId Id) { return &NodeTable[Id & NodeIndexMask]; }

} // namespace akeso::rt

#endif
