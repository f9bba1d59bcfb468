//===- InlineFastPath.h - the common case of a read or write hook ---------===//
#ifndef AKESO_PASSES_INLINEFASTPATH_H
#define AKESO_PASSES_INLINEFASTPATH_H

#include "RuntimeCallees.h"

#include "llvm/IR/Instruction.h"
#include "llvm/Support/Alignment.h"

namespace akeso {

// Writes up to this many bytes get an inline fast path.
inline constexpr uint64_t FastPathMaxBytes = 8;
// Reads up to this many bytes get one (a read wider than a word only the
// checks of the thread state).
inline constexpr uint64_t ReadFastPathMaxBytes = 16;

// Inserts before `Before` the inline fast path of the write hook `Hook` for
// a write of `Bytes` bytes at `Addr`, falling back to calling `Hook`.
void emitWriteFastPath(llvm::Module &M, const RuntimeCallees &RT,
                       llvm::Instruction *Before, llvm::Value *Addr,
                       uint64_t Bytes, llvm::Align Alignment,
                       llvm::FunctionCallee Hook);

// Inserts before `Before` the inline fast path of the read hook `Hook` for
// a read of `Bytes` bytes at `Addr`: the hook is called only inside a
// logged domain, for a word whose last writer is another live domain.
void emitReadFastPath(llvm::Module &M, const RuntimeCallees &RT,
                      llvm::Instruction *Before, llvm::Value *Addr,
                      uint64_t Bytes, llvm::Align Alignment,
                      llvm::FunctionCallee Hook);

} // namespace akeso

#endif
