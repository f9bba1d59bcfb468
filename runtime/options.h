//===- options.h - AKESO_OPTIONS -----------------------------------------===//
//
// Sanitizer-style options: AKESO_OPTIONS="verbosity=1:stats=1".  Read once
// at start-up; a malformed string stops the program before it runs, since a
// typo in a recovery setting silently ignored is worse than no start.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_OPTIONS_H
#define AKESO_RUNTIME_OPTIONS_H

#include <cstddef>

namespace akeso::rt {

enum class InjectionKind { Detected, Corrupt };
enum class FaultPolicy { Recover, Report, Abort };

struct Options {
  // 0: silent; 1: one line per recovery event; 2: also domain lifetimes.
  unsigned Verbosity = 1;
  // Print counters at exit.
  bool Stats = false;
  // Per-thread undo log capacity in MiB of address space.
  size_t UndoLogMiB = 256;
  // Deepest nesting of domains on one thread.
  size_t MaxDomainDepth = 1024;
  // Completed domains of one thread that may wait for others to commit.
  size_t MaxPendingDomains = 16384;
  // List the options at start-up.
  bool Help = false;
  // Fault injection (issue #4): a fault every InjectPeriod +
  // rand(0..InjectPeriod) blocks of the covered code.
  bool Inject = false;
  size_t InjectPeriod = 300000;
  size_t InjectSeed = 1;
  InjectionKind InjectKind = InjectionKind::Detected;
  // Logged domains only, or all instrumented code.
  bool InjectScopeAll = false;
  // Recover from SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGABRT raised inside logged
  // domains (the runtime installs handlers at start-up).
  bool HandleSignals = true;
  // What a fault inside a domain does (DiOS-style policy).
  FaultPolicy OnFault = FaultPolicy::Recover;
  // The guess/fail backend of explorations whose strategy names none
  // (guess_backend.h's GuessBackendKind: 0 undo, 1 fork, 2 pages).
  int GuessBackend = 0;
  // Page backend: track writes with userfaultfd write-protect instead of
  // comparing shadow copies (runtime/pages, docs/host.md).
  bool PagesTrackUffd = false;
};

extern Options Flags;

// Parses Text into Flags; on error prints what is wrong and exits.
void parseOptions(const char *Text);

} // namespace akeso::rt

#endif
