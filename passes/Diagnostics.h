//===- Diagnostics.h - errors and warnings from akeso's passes -----------===//
//
// Plugin diagnostics go through the LLVMContext so each host shows them its
// own way: clang as "error:"/"warning:" with a failed compile and no output
// file, opt by printing and exiting non-zero on an error.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_PASSES_DIAGNOSTICS_H
#define AKESO_PASSES_DIAGNOSTICS_H

#include "llvm/ADT/Twine.h"
#include "llvm/IR/LLVMContext.h"

#include <string>
#include <vector>

namespace akeso {

void emitError(llvm::LLVMContext &C, const llvm::Twine &Message);
void emitWarning(llvm::LLVMContext &C, const llvm::Twine &Message);
// One error carrying every problem, one per line, so a user fixes them all
// in one go (opt stops at the first error diagnostic it sees).
void emitErrors(llvm::LLVMContext &C, const std::vector<std::string> &Problems);

} // namespace akeso

#endif
