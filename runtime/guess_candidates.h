//===- guess_candidates.h - partial candidates as deltas (BFS and A*) -----===//
//
// BFS and A* switch between arbitrary partial candidates.  The undo backend
// keeps them as a tree: a partial candidate is the state at one guess
// point, stored as its delta against its parent (the candidate the
// extension step that created it started from):
//   - the words that step logged: address, old value (from the undo log)
//     and new value (read from memory at the guess point);
//   - the stack [Lo, Hi) and the jmp_buf of the guess point;
//   - the step's action records: allocations (released when the candidate
//     dies, unless a committed path reached it), frees and other deferred
//     actions (run if the exploration stops on a path through it), and
//     undo actions (run when it dies uncommitted).
// Switching from one candidate to another undoes deltas up to their
// common ancestor (old values, newest first) and redoes deltas down to
// the target (new values, oldest first); the target's stack copy is
// restored when its landing pad is reached.
//
// A candidate is reference-counted: one reference per pending extension
// (in the frontier, where one element may stand for several), per running
// extension step, and per child alive.  It is freed when that drops to zero, so memory is bounded by the
// frontier and its ancestors, not by the whole tree.  Candidates come
// from malloc (the runtime is not instrumented, so these blocks are
// invisible to the undo log).
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_GUESS_CANDIDATES_H
#define AKESO_RUNTIME_GUESS_CANDIDATES_H

#include "thread_state.h"

#include <cstddef>
#include <cstdint>

namespace akeso::rt {

struct PartialCandidate;

// Creates the candidate the current extension step reached at a guess
// point: its delta is the log suffix [LogStart, end) of T, which it takes
// over (the log is truncated to LogStart, the words' version records are
// reset to the writers they had before the step, so the next step logs
// its own writes to them again).  Parent is the candidate the step started
// from (null: the exploration's start); the new candidate holds a
// reference to it.  The stack [Lo, Hi) is copied, Pad is the guess point's
// jmp_buf.  References: Extensions (one per extension the frontier gets).
// File and Line name the guess point, for errors.
PartialCandidate *createCandidate(ThreadState *T, size_t LogStart,
                                  PartialCandidate *Parent, unsigned Extensions,
                                  uintptr_t Lo, uintptr_t Hi,
                                  const platform::JumpBuffer &Pad,
                                  const char *File, unsigned Line);

// Memory holds From's state (null: the exploration's start); makes it To's
// state (null: the start) through plain stores.  Words in the stack range
// [StackLow, Hi) are skipped: the target's stack copy covers those above
// its Lo, those below it are dead.
void switchCandidate(PartialCandidate *From, PartialCandidate *To,
                     uintptr_t StackLow, uintptr_t Hi);

// Drops one reference (null: nothing); a candidate left without any is
// freed (unless committed, its undo actions run, allocation releases
// included, newest first), and so, transitively, are ancestors that only
// it kept alive.  Actions run on T outside its domains.
void releaseCandidate(ThreadState *T, PartialCandidate *C);

// akeso_guess_stop on a path ending at C: every candidate from the start
// to C is committed (its allocations stay), and their deferred actions
// (frees) run on T outside its domains, oldest step first.
void commitCandidatePath(ThreadState *T, PartialCandidate *C);

// Copies C's stack [Lo, Hi) back; the caller runs below Lo.
void restoreCandidateStack(const PartialCandidate *C, uintptr_t Hi);
// Fills Out with C's landing pad (the guess point's jmp_buf).
void loadCandidatePad(const PartialCandidate *C, platform::JumpBuffer &Out);

} // namespace akeso::rt

#endif // AKESO_RUNTIME_GUESS_CANDIDATES_H
