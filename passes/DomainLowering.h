//===- DomainLowering.h - akeso-lower -------------------------------------===//
#ifndef AKESO_PASSES_DOMAINLOWERING_H
#define AKESO_PASSES_DOMAINLOWERING_H

#include "llvm/IR/PassManager.h"

namespace akeso {

// The third pass of 004 §5.1.1: turns each function carrying domain markers
// into a wrapper with a setjmp landing pad around the original body.
struct DomainLoweringPass : llvm::PassInfoMixin<DomainLoweringPass> {
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace akeso

#endif
