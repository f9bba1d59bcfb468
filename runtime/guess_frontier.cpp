//===- guess_frontier.cpp - the pending extensions of BFS and A* ----------===//
#include "guess_frontier.h"

#include "platform/platform.h"
#include "report.h"

#include <sys/mman.h>
#include <cstring>

namespace akeso::rt {

namespace {

constexpr size_t MaxEntries = size_t(1) << 26;     // pending extensions
constexpr size_t ArenaBytes = size_t(1) << 32;     // address space per arena
// Below this many bytes of records, compaction is not worth a copy.
constexpr size_t CompactFloor = size_t(1) << 20;

size_t align8(size_t N) { return (N + 7) & ~size_t(7); }

} // namespace

void GuessFrontier::reset(const char *Name) {
  What = Name;
  if (!Heap) {
    Heap = static_cast<Entry *>(
        platform::reserveZeroed(MaxEntries * sizeof(Entry)));
    Arena[0] = static_cast<char *>(platform::reserveZeroed(ArenaBytes));
    Arena[1] = static_cast<char *>(platform::reserveZeroed(ArenaBytes));
    if (!Heap || !Arena[0] || !Arena[1])
      fatal("akeso_guess: cannot reserve memory for the %s frontier", What);
  }
  First = Count = 0;
  Queue = true;
  Seq = 0;
  Used = LiveBytes = 0;
}

void GuessFrontier::release() {
  for (int I = 0; I < 2; ++I)
    if (Touched[I]) {
      madvise(Arena[I], Touched[I], MADV_DONTNEED);
      Touched[I] = 0;
    }
  if (MostEntries) {
    madvise(Heap, MostEntries * sizeof(Entry), MADV_DONTNEED);
    MostEntries = 0;
  }
  First = Count = 0;
  Queue = true;
  Used = LiveBytes = 0;
}

void GuessFrontier::shiftQueue() {
  memmove(Heap, Heap + First, Count * sizeof(Entry));
  First = 0;
}

// Moves the live records to the other arena, so the arena holds at most
// about twice the frontier's records; the old arena's pages are returned.
void GuessFrontier::compact(size_t Need) {
  if (LiveBytes + Need > ArenaBytes)
    fatal("akeso_guess: the %s frontier holds more than %zu bytes of "
          "pending extensions; the search space is too wide for this "
          "strategy (try DFS)",
          What, ArenaBytes);
  const int Other = 1 - Current;
  size_t Out = 0;
  for (size_t I = First; I < First + Count; ++I) {
    Entry &E = Heap[I];
    memcpy(Arena[Other] + Out, Arena[Current] + E.Offset, E.Bytes);
    E.Offset = Out;
    Out += align8(E.Bytes);
  }
  if (Out > Touched[Other])
    Touched[Other] = Out;
  madvise(Arena[Current], Touched[Current], MADV_DONTNEED);
  Touched[Current] = 0;
  Current = Other;
  Used = Out;
}

void GuessFrontier::push(const void *Head, size_t HeadBytes, const void *Tail,
                         size_t TailBytes, long Distance) {
  const size_t Bytes = HeadBytes + TailBytes, Need = align8(Bytes);
  if (Count == MaxEntries)
    fatal("akeso_guess: more than %zu pending %s extensions; the search "
          "space is too wide for this strategy (try DFS)",
          MaxEntries, What);
  if (Used + Need > ArenaBytes ||
      (Used > CompactFloor && Used > 2 * (LiveBytes + Need)))
    compact(Need);
  char *Record = Arena[Current] + Used;
  memcpy(Record, Head, HeadBytes);
  if (TailBytes)
    memcpy(Record + HeadBytes, Tail, TailBytes);
  Entry E{Distance, Seq++, Used, Bytes};
  Used += Need;
  if (Used > Touched[Current])
    Touched[Current] = Used;
  LiveBytes += Need;
  if (Queue && (Count == 0 || !before(E, Heap[First + Count - 1]))) {
    if (First + Count == MaxEntries)
      shiftQueue();
    Heap[First + Count++] = E;
    if (First + Count > MostEntries)
      MostEntries = First + Count;
    return;
  }
  if (Queue) {
    shiftQueue(); // sorted: a valid heap as it is
    Queue = false;
  }
  // Sift up.
  size_t I = Count++;
  if (Count > MostEntries)
    MostEntries = Count;
  while (I > 0) {
    const size_t Parent = (I - 1) / 2;
    if (!before(E, Heap[Parent]))
      break;
    Heap[I] = Heap[Parent];
    I = Parent;
  }
  Heap[I] = E;
}

bool GuessFrontier::pop(void *Out, size_t Capacity, size_t &Bytes,
                        long &Distance) {
  if (Count == 0)
    return false;
  const Entry Top = Heap[First];
  if (Queue) {
    ++First;
    --Count;
    // Amortized O(1): at least Count pops paid for moving Count entries.
    if (Count == 0)
      First = 0;
    else if (First >= Count && First >= 4096)
      shiftQueue();
    return take(Top, Out, Capacity, Bytes, Distance);
  }
  const Entry Last = Heap[--Count];
  // Sift the last entry down from the root.
  size_t I = 0;
  for (;;) {
    size_t C = 2 * I + 1;
    if (C >= Count)
      break;
    if (C + 1 < Count && before(Heap[C + 1], Heap[C]))
      ++C;
    if (!before(Heap[C], Last))
      break;
    Heap[I] = Heap[C];
    I = C;
  }
  if (Count)
    Heap[I] = Last;
  else
    Queue = true; // empty: sorted again
  return take(Top, Out, Capacity, Bytes, Distance);
}

void GuessFrontier::copyOut(const Entry &E, void *Out, size_t Capacity,
                            size_t &Bytes, long &Distance) const {
  if (E.Bytes > Capacity)
    fatal("akeso_guess: a pending %s extension's record (%zu bytes) exceeds "
          "%zu bytes",
          What, E.Bytes, Capacity);
  memcpy(Out, Arena[Current] + E.Offset, E.Bytes);
  Bytes = E.Bytes;
  Distance = E.Distance;
}

bool GuessFrontier::peek(void *Out, size_t Capacity, size_t &Bytes,
                         long &Distance) const {
  if (Count == 0)
    return false;
  copyOut(Heap[First], Out, Capacity, Bytes, Distance);
  return true;
}

void GuessFrontier::rewriteNext(const void *Record, size_t Bytes) {
  if (Count == 0 || Heap[First].Bytes != Bytes)
    fatal("internal error: rewriting the next %s extension's record with "
          "one of another size",
          What);
  memcpy(Arena[Current] + Heap[First].Offset, Record, Bytes);
}

bool GuessFrontier::take(const Entry &Top, void *Out, size_t Capacity,
                         size_t &Bytes, long &Distance) {
  copyOut(Top, Out, Capacity, Bytes, Distance);
  LiveBytes -= align8(Top.Bytes);
  if (Count == 0)
    Used = 0; // nothing live: start the arena over
  return true;
}

} // namespace akeso::rt
