//===- guess_frontier.h - the pending extensions of BFS and A* ------------===//
//
// The strategy's frontier: the extensions created but not yet run.  A*
// runs the one with the smallest distance first, ties in creation order;
// BFS is the same order with every distance equal (creation order is
// breadth-first order), so one min-heap serves both.  While elements
// arrive in that order (always under BFS, often under A*) they are kept
// as a queue instead, which pops in O(1) rather than a sift through a
// heap of millions; the first element that arrives out of order turns the
// queue (sorted, so already a heap) into the heap.
//
// An element is an opaque record of bytes plus its distance: the undo
// backend stores a partial candidate's pointer and a range of its
// extensions (guess_candidates.h), the fork backend a path (the choices from the
// root, as ints), a backend with real snapshots a snapshot handle.
// Records live in an arena that is compacted once it holds more than
// twice the live records, so memory is bounded by the frontier, not by
// every extension ever created.
//
// Memory comes from platform::reserveZeroed (no operator new: the runtime
// links without libstdc++); nothing is touched before it is used.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_GUESS_FRONTIER_H
#define AKESO_RUNTIME_GUESS_FRONTIER_H

#include <cstddef>
#include <cstdint>

namespace akeso::rt {

class GuessFrontier {
public:
  // Empties the frontier; reserves its memory on first use.  What names
  // the strategy in error messages ("BFS", "A*").
  void reset(const char *What);
  bool empty() const { return Count == 0; }
  size_t size() const { return Count; }
  // Adds an element whose record is Head[0..HeadBytes) followed by
  // Tail[0..TailBytes) (a parent's path and the new choice, without
  // building the path first).
  void push(const void *Head, size_t HeadBytes, const void *Tail,
            size_t TailBytes, long Distance);
  // Removes the next element: its record is copied to Out (at most
  // Capacity bytes; a longer one is an error), its size to Bytes and its
  // distance to Distance.  False when empty.
  bool pop(void *Out, size_t Capacity, size_t &Bytes, long &Distance);
  // The same without removing it.
  bool peek(void *Out, size_t Capacity, size_t &Bytes, long &Distance) const;
  // Overwrites the record of the next element (same size); its place in
  // the order is unchanged (an element can stand for several extensions
  // that are taken one at a time).
  void rewriteNext(const void *Record, size_t Bytes);
  // Returns the memory the records touched to the system.
  void release();

private:
  struct Entry {
    long Distance;
    uint64_t Seq;   // creation order: ties run first-created first
    size_t Offset;  // of the record in the arena
    size_t Bytes;
  };
  static bool before(const Entry &A, const Entry &B) {
    return A.Distance < B.Distance ||
           (A.Distance == B.Distance && A.Seq < B.Seq);
  }
  void compact(size_t Need);

  // Moves the queue's entries to the start of Heap.
  void shiftQueue();
  // Copies out the record of the popped entry Top and frees its bytes.
  bool take(const Entry &Top, void *Out, size_t Capacity, size_t &Bytes,
            long &Distance);
  // Copies out the record of entry E.
  void copyOut(const Entry &E, void *Out, size_t Capacity, size_t &Bytes,
               long &Distance) const;

  const char *What = "";
  // The entries: Heap[First, First + Count).  Queue: sorted, popped at
  // First.  Heap (not Queue): a binary min-heap, First == 0.
  Entry *Heap = nullptr;
  size_t First = 0, Count = 0, MostEntries = 0;
  bool Queue = true;
  uint64_t Seq = 0;
  // Two arenas: compaction copies the live records from one to the other.
  char *Arena[2] = {nullptr, nullptr};
  int Current = 0;
  size_t Used = 0, LiveBytes = 0;
  // Bytes of each arena touched so far (what release() gives back).
  size_t Touched[2] = {0, 0};
};

} // namespace akeso::rt

#endif // AKESO_RUNTIME_GUESS_FRONTIER_H
