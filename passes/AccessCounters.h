//===- AccessCounters.h - counting instrumented accesses per block --------===//
#ifndef AKESO_PASSES_ACCESSCOUNTERS_H
#define AKESO_PASSES_ACCESSCOUNTERS_H

#include "RuntimeCallees.h"

#include "llvm/IR/BasicBlock.h"

namespace akeso {

// Adds Loads and Stores to the calling thread's counters (AKESO_OPTIONS
// stats=1) when BB is entered.
void emitAccessCounts(llvm::Module &M, const RuntimeCallees &RT,
                      llvm::BasicBlock &BB, uint64_t Loads, uint64_t Stores);

} // namespace akeso

#endif
