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
};

extern Options Flags;

// Parses Text into Flags; on error prints what is wrong and exits.
void parseOptions(const char *Text);

} // namespace akeso::rt

#endif
