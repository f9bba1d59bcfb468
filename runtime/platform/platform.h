//===- platform/platform.h - what the runtime needs from its host --------===//
//
// The runtime's core (undo log, version table, domain stack) asks its host
// for memory, per-thread state, a non-local jump, output and termination
// through this header only.  The user-space implementation is
// platform_linux.cpp; a kernel port supplies its own (per-task state from
// the task struct, memory from the page allocator, output to the console).
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PLATFORM_H
#define AKESO_RUNTIME_PLATFORM_H

#include "akeso/abi.h"

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace akeso::rt {
struct ThreadState;
}

namespace akeso::platform {

// Reserves `Bytes` of address space that becomes zero-filled memory on first
// touch, so logs and tables can be laid out once and never move.  Returns
// null when the host refuses.
void *reserveZeroed(size_t Bytes);
void release(void *Base, size_t Bytes);
// Calls Fn on every range reserveZeroed handed out and not yet released:
// the runtime's own memory, which a page snapshot of the program must
// leave alone (runtime/pages).
void forEachReserved(void (*Fn)(uintptr_t Lo, uintptr_t Hi, void *Arg),
                     void *Arg);

// Writes a complete message to the error stream without allocating, so it
// is usable from any runtime context.
void writeError(const char *Text, size_t Length);
// Pushes out what the program itself has buffered for output, so a fatal
// report appears after it rather than before.
void flushProgramOutput();
// Ends the process by Sig with its default action (a core dump where that
// is the default), whatever handler or mask the program had.
[[noreturn]] void dieWithSignal(int Sig);
[[noreturn]] void die();

// The value of a configuration variable, or null.
const char *getConfig(const char *Name);

// Per-thread runtime state, in the TLS variable __akeso_thread of the ABI
// (compiled code reads it too); registerThreadExit arranges for
// `OnExit(State)` when the thread ends.
inline rt::ThreadState *currentThread() {
  return static_cast<rt::ThreadState *>(__akeso_thread);
}
inline void setCurrentThread(rt::ThreadState *T) { __akeso_thread = T; }
void registerThreadExit(rt::ThreadState *State,
                        void (*OnExit)(rt::ThreadState *));

// The calling function's stack pointer: everything between it and a
// landing pad's frame on the same stack belongs to frames a jump discards.
__attribute__((always_inline)) inline uintptr_t stackPointer() {
  uintptr_t SP;
  asm volatile("mov %%rsp, %0" : "=r"(SP));
  return SP;
}

// A jump back to a landing pad set up by setjmp in compiler-generated code.
using JumpBuffer = std::jmp_buf;
[[noreturn]] void jumpToLandingPad(JumpBuffer &Pad);

// Registers `Fn` to run when the process exits normally.
void atProcessExit(void (*Fn)());

// A lock held for a few instructions (a domain's edge set).
class SpinLock {
public:
  void lock() {
    while (__atomic_exchange_n(&Word, 1, __ATOMIC_ACQUIRE))
      while (__atomic_load_n(&Word, __ATOMIC_RELAXED))
        __builtin_ia32_pause();
  }
  void unlock() { __atomic_store_n(&Word, 0, __ATOMIC_RELEASE); }

private:
  int Word = 0;
};

// Threads the runtime may have to stop (a rollback that crosses threads).
using ThreadHandle = unsigned long;
ThreadHandle currentThreadHandle();
// The calling thread's stack, [Low, High).
void currentStackBounds(uintptr_t &Low, uintptr_t &High);

// Two signals: Pause is delivered with SA_RESTART and runs OnPause(context)
// on the target; Kick interrupts a blocking system call (EINTR) and does
// nothing else.  OnPause gets whether the thread was interrupted in code
// akeso did not compile (libc, the loader, the vDSO, other libraries loaded
// at start: where threads block in system calls) and its stack pointer.
void installThreadSignals(void (*OnPause)(bool InForeignCode, uintptr_t SP));
bool sendPause(ThreadHandle Thread);
bool sendKick(ThreadHandle Thread);
void yieldProcessor();
void sleepMicroseconds(unsigned Micros);
// Sleeps while *Word == Expected (or until woken, or spuriously).
void waitOnWord(const uint32_t *Word, uint32_t Expected);
void wakeWordWaiters(const uint32_t *Word);

// A lock for the runtime's rare global structures (thread registry).
class GlobalLock {
public:
  void lock();
  bool tryLock() { return !__atomic_exchange_n(&Word, 1, __ATOMIC_ACQUIRE); }
  void unlock();

private:
  int Word = 0;
};

} // namespace akeso::platform

#endif
