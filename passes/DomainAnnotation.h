//===- DomainAnnotation.h - akeso-annotate --------------------------------===//
#ifndef AKESO_PASSES_DOMAINANNOTATION_H
#define AKESO_PASSES_DOMAINANNOTATION_H

#include "llvm/IR/PassManager.h"

namespace akeso {

// The second pass of 004 §5.1.1: turns the annotation file's entries into
// low-level domain markers on the functions they name.
struct DomainAnnotationPass : llvm::PassInfoMixin<DomainAnnotationPass> {
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }
};

} // namespace akeso

#endif
