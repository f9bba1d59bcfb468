//===- commit.h - completing domains and the commit protocol --------------===//
#ifndef AKESO_RUNTIME_COMMIT_H
#define AKESO_RUNTIME_COMMIT_H

#include "domains.h"

namespace akeso::rt {

// A basic domain with a logged parent becomes synonymous with it: its
// version records are relabelled and its dependence edges become the
// parent's.  Its records [Start, end of log) stay where they are.
void mergeIntoParent(ThreadState *T, DomainNode *Child, size_t Start,
                     DomainNode *Parent);

// A root basic, transparent or reversible domain D that just exited (still
// on T's stack; called inside a critical section, which it leaves), owning
// the records [D.LogStart, end of log).  Pops it, then commits it now if
// nothing it depends on is speculative (transparent domains ignore what they
// depend on), else leaves it completed and waiting.  A reversible domain's
// Inverse is logged with the enclosing logged domain Parent (if any), which
// also becomes dependent on it while it waits.
void completeDomain(ThreadState *T, Domain &D, DomainNode *Parent,
                    const ActionCall *Inverse);

// For the records [Start, End) of a log: calls F(Index, Record) for those
// that belong to the domain owning the range, skipping the brackets of
// completed reversible domains nested in it.
template <typename Fn>
void forEachOwnRecord(UndoLog &Log, size_t Start, size_t End, Fn F) {
  for (size_t I = Start; I < End; ++I) {
    UndoRecord &R = Log[I];
    if (R.isSegmentBegin() && R.Old != 0) {
      I = size_t(R.Old) - 1;
      continue;
    }
    F(I, R);
  }
}

// The same, newest first.
template <typename Fn>
void forEachOwnRecordReverse(UndoLog &Log, size_t Start, size_t End, Fn F) {
  for (size_t I = End; I-- > Start;) {
    UndoRecord &R = Log[I];
    if (R.isSegmentEnd()) {
      I = size_t(R.Old);
      continue;
    }
    F(I, R);
  }
}

} // namespace akeso::rt

#endif
