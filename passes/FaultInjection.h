//===- FaultInjection.h - akeso-inject-mark, akeso-inject -----------------===//
#ifndef AKESO_PASSES_FAULTINJECTION_H
#define AKESO_PASSES_FAULTINJECTION_H

#include "llvm/IR/PassManager.h"

namespace akeso {

// -akeso-inject: whether fault-injection sites are compiled in.  Without it
// neither pass below changes anything, and clang's pipeline (Plugin.cpp)
// does not even contain them.
bool faultInjectionEnabled();

// Before akeso-instrument: puts a marker call at the top of every block of
// every function, so akeso-inject knows the blocks as the optimiser left
// them and not the fast paths the instrumentation splits them into.
struct FaultSiteMarkingPass : llvm::PassInfoMixin<FaultSiteMarkingPass> {
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

// After akeso-instrument: a fault site at the top of every (marked) block of
// every instrumented function, which counts the thread's injection countdown
// down and calls __akeso_inject when it reaches 0 (004 §6.2; issue #4).
struct FaultInjectionPass : llvm::PassInfoMixin<FaultInjectionPass> {
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace akeso

#endif
