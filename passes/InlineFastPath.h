//===- InlineFastPath.h - the common case of a hook, inlined --------------===//
#ifndef AKESO_PASSES_INLINEFASTPATH_H
#define AKESO_PASSES_INLINEFASTPATH_H

#include "RuntimeCallees.h"

#include "llvm/IR/Instruction.h"
#include "llvm/Support/Alignment.h"

namespace akeso {

// Accesses up to this many bytes get an inline fast path.
inline constexpr uint64_t FastPathMaxBytes = 8;

// Inserts before `Before` the inline fast path of the word hook `Hook` for
// an access of `Bytes` bytes at `Addr`, falling back to calling `Hook`.
void emitInlineFastPath(llvm::Module &M, const RuntimeCallees &RT,
                        llvm::Instruction *Before, llvm::Value *Addr,
                        uint64_t Bytes, llvm::Align Alignment, bool IsWrite,
                        llvm::FunctionCallee Hook);

} // namespace akeso

#endif
