//===- pages/snapshot.h - page-level snapshots of the whole process -------===//
//
// A snapshot is a register file (the jmp_buf of a guess point) plus a
// logical copy of every writable private page of the process: data, bss,
// heap, anonymous mappings, stacks.  Snapshots form a tree; each node holds
// only the pages written between its parent and itself (its delta), as
// they were when it was taken.  The content a node sees for page p is the
// nearest delta holding p on its path to the root, else the base copy made
// when the exploration began (pages that held data then), else what the
// mapping holds underneath (zeros, or the file).  So a snapshot costs the
// pages written since the previous one, and a page unchanged in a subtree
// is shared by every node of it.
//
// Restoring node T from the running state (which descends from node C):
// the pages that can differ are those written since C, and those in the
// deltas between C and the common ancestor A and between T and A; each
// gets T's content, every other page already holds it.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_SNAPSHOT_H
#define AKESO_RUNTIME_PAGES_SNAPSHOT_H

#include "pages/store.h"
#include "platform/platform.h"

#include <cstddef>
#include <cstdint>

namespace akeso::pages {

struct Node {
  Node *Parent;
  unsigned Depth;
  unsigned Refs; // children, pending extensions, the running candidate
  unsigned Mark; // restore bookkeeping
  uintptr_t Brk; // the program break when taken
  SavedPage *Delta;
  size_t DeltaCount;
  platform::JumpBuffer Pad; // filled by the guess point's setjmp
  // For the guess backend: extensions of this guess point, the next one
  // to run (DFS), and the distance inherited by plain guesses below (A*).
  int N, Next;
  long Priority;
  Node *StackNext; // DFS: the node below on the stack
};

struct SnapshotStats {
  unsigned long long Takes, Restores, PagesSaved, PagesRestored, BasePages;
  unsigned long long TrackedBytes;
  unsigned long long TakeNs, RestoreNs; // time inside snapTake/snapRestore
};

// Starts covering the process: tracks every writable private mapping
// (except the runtime's own memory), copies the pages holding data, and
// makes the root snapshot the current node.  False with a sentence in Why
// when the host cannot do it.
bool snapBegin(char *Why, size_t WhyLen);
bool snapActive();
Node *snapRoot();
Node *snapCurrent();
// Takes a snapshot as a child of the current node; it becomes current.
Node *snapTake();
// Makes memory what T saw and T the current node.  Must run on
// snapRestoreStack() (the program's stack pages are rewritten).
void snapRestore(Node *T);
void *snapRestoreStack();
// After snapRestore(T): whether Owner (a node) is T or an ancestor of T.
bool snapIsLive(const void *Owner);
// Reference counting: a node with no references is freed with its delta
// (and its parent loses one).
void snapRef(Node *N);
void snapUnref(Node *N);
// Ends the exploration.  Keep: the current memory stays (deferred
// munmaps are carried out); otherwise the caller restored the root first.
void snapEnd(bool Keep);
// The program break as the exploration sees it (brk interposition).
// Backtracking moves only the program's break; the kernel's stays (the
// heap above is reused, zeroed, by the next growth) until the end.
uintptr_t snapBrk();
void snapSetBrk(uintptr_t Brk);
uintptr_t snapKernelBrk();
void snapSetKernelBrk(uintptr_t Brk);
const SnapshotStats &snapStats();

} // namespace akeso::pages

#endif
