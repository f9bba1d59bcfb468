//===- MemoryInstrumentation.h - akeso-instrument -------------------------===//
#ifndef AKESO_PASSES_MEMORYINSTRUMENTATION_H
#define AKESO_PASSES_MEMORYINSTRUMENTATION_H

#include "llvm/IR/PassManager.h"

namespace akeso {

// The first pass of 004 §5.1.1: routes every memory access of the module
// through the runtime so that writes are logged and reads can form
// dependence edges.
struct MemoryInstrumentationPass
    : llvm::PassInfoMixin<MemoryInstrumentationPass> {
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace akeso

#endif
