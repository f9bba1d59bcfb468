//===- fault_injection.h - the injection schedule and the current domain --===//
//
// 004 §6: a fault in a random block every P + rand(0..P) executed basic
// blocks, only inside logged domains unless asked otherwise.  Compiled code
// counts blocks down in the thread state (abi.h); the runtime arms the
// countdown, keeps it at 0 outside the covered code, and decides what an
// injected fault is: a detected one (as if a checker fired) or a silent
// corruption (a bit flipped in a word the current domain just wrote).
//
// The same place attributes executed loads and stores to logged or
// unlogged code (004 Table 3's coverage): compiled code adds to one pair
// of counters, and every change of the current domain's logged-ness moves
// what accumulated into the bucket it belongs to.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_FAULT_INJECTION_H
#define AKESO_RUNTIME_FAULT_INJECTION_H

#include "thread_state.h"

namespace akeso::rt {

// Moves the loads and stores counted so far to the bucket of the code that
// ran them, and the injection countdown in or out of scope.
void currentDomainChanged(ThreadState *T, bool WasLogged);

// Makes Id the thread's current domain (0: none).
inline void setCurrentDomain(ThreadState *T, DomainId Id) {
  const bool WasLogged = T->CurrentId != 0;
  T->CurrentId = Id;
  if (WasLogged != (Id != 0) || T->InjectArmed)
    currentDomainChanged(T, WasLogged);
}

// A new thread's schedule (deterministic per seed and thread index).
void armInjection(ThreadState *T, unsigned ThreadIndex);

} // namespace akeso::rt

#endif
