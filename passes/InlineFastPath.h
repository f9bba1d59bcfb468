//===- InlineFastPath.h - the common case of a write hook, inlined --------===//
#ifndef AKESO_PASSES_INLINEFASTPATH_H
#define AKESO_PASSES_INLINEFASTPATH_H

#include "RuntimeCallees.h"

#include "llvm/IR/Instruction.h"
#include "llvm/Support/Alignment.h"

namespace akeso {

// Writes up to this many bytes get an inline fast path.
inline constexpr uint64_t FastPathMaxBytes = 8;

// Inserts before `Before` the inline fast path of the write hook `Hook` for
// a write of `Bytes` bytes at `Addr`, falling back to calling `Hook`.
void emitWriteFastPath(llvm::Module &M, const RuntimeCallees &RT,
                       llvm::Instruction *Before, llvm::Value *Addr,
                       uint64_t Bytes, llvm::Align Alignment,
                       llvm::FunctionCallee Hook);

} // namespace akeso

#endif
