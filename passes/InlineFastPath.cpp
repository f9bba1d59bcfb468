//===- InlineFastPath.cpp - the common case of a write hook, inlined ------===//
//
// An out-of-line call per store costs more than the work it does in the
// common case, and it clobbers the caller's registers.  So the pass inlines
// that case, reading the thread state and the version table through the
// layout abi.h fixes, and calls the hook only for the rest:
//
// clang-format off
//   state = __akeso_thread                       null: slow
//   chunk = directory[(addr >> 23) & mask]       null: done if no domain, else slow
//   v     = chunk[(addr >> 3) & mask]
//   v == state->current_id, within one word?     done, else slow
// clang-format on
//
// The version records are atomics in the runtime, so they are read with
// unordered atomic loads (plain moves on x86).  Reads need no fast path
// yet: they are only counted, per block (AccessCounters.cpp).
//
//===----------------------------------------------------------------------===//
#include "InlineFastPath.h"

#include "akeso/abi.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace akeso {

static constexpr uint64_t WordBytes = uint64_t(1) << AKESO_VERSION_WORD_SHIFT;
static_assert(FastPathMaxBytes == WordBytes);
static constexpr uint64_t DirectoryMask =
    (uint64_t(1) << (AKESO_VERSION_ADDRESS_BITS - AKESO_VERSION_WORD_SHIFT -
                     AKESO_VERSION_CHUNK_SHIFT)) -
    1;
static constexpr uint64_t ChunkMask =
    (uint64_t(1) << AKESO_VERSION_CHUNK_SHIFT) - 1;

void emitWriteFastPath(Module &M, const RuntimeCallees &RT, Instruction *Before,
                       Value *Addr, uint64_t Bytes, Align Alignment,
                       FunctionCallee Hook) {
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C);
  Type *PtrTy = PointerType::getUnqual(C);
  BasicBlock *Head = Before->getParent();
  Function *F = Head->getParent();
  BasicBlock *Cont = Head->splitBasicBlock(Before->getIterator(), "akeso.cont");
  Head->getTerminator()->eraseFromParent();
  BasicBlock *Check = BasicBlock::Create(C, "akeso.check", F, Cont);
  BasicBlock *NoChunk = BasicBlock::Create(C, "akeso.nochunk", F, Cont);
  BasicBlock *Lookup = BasicBlock::Create(C, "akeso.lookup", F, Cont);
  BasicBlock *Slow = BasicBlock::Create(C, "akeso.slow", F, Cont);

  IRBuilder<> IRB(Head);
  IRB.SetCurrentDebugLocation(Before->getDebugLoc());
  Value *State = IRB.CreateLoad(PtrTy, RT.__akeso_thread, "akeso.thread");
  IRB.CreateCondBr(IRB.CreateIsNull(State), Slow, Check);

  IRB.SetInsertPoint(Check);
  Value *Word = IRB.CreatePtrToInt(Addr, I64);
  Value *Current = IRB.CreateLoad(I64, State, "akeso.current");
  // An access aligned to its size never straddles two words.
  Value *OneWord = IRB.getTrue();
  if (Alignment.value() < Bytes)
    OneWord = IRB.CreateICmpULE(
        IRB.CreateAdd(IRB.CreateAnd(Word, WordBytes - 1), IRB.getInt64(Bytes)),
        IRB.getInt64(WordBytes));
  LoadInst *Directory =
      IRB.CreateLoad(PtrTy, RT.__akeso_version_directory, "akeso.dir");
  Directory->setAtomic(AtomicOrdering::Unordered);
  Value *ChunkIndex =
      IRB.CreateAnd(IRB.CreateLShr(Word, AKESO_VERSION_WORD_SHIFT +
                                             AKESO_VERSION_CHUNK_SHIFT),
                    DirectoryMask);
  LoadInst *Chunk = IRB.CreateLoad(
      PtrTy, IRB.CreateGEP(PtrTy, Directory, ChunkIndex), "akeso.chunk");
  Chunk->setAtomic(AtomicOrdering::Unordered);
  IRB.CreateCondBr(IRB.CreateIsNull(Chunk), NoChunk, Lookup);

  // No word of this chunk was ever written inside a domain: nothing to do
  // unless a domain is active now.
  IRB.SetInsertPoint(NoChunk);
  IRB.CreateCondBr(IRB.CreateAnd(IRB.CreateIsNull(Current), OneWord), Cont,
                   Slow);

  IRB.SetInsertPoint(Lookup);
  Value *SlotIndex =
      IRB.CreateAnd(IRB.CreateLShr(Word, AKESO_VERSION_WORD_SHIFT), ChunkMask);
  LoadInst *Version = IRB.CreateLoad(
      I64, IRB.CreateGEP(I64, Chunk, SlotIndex), "akeso.version");
  Version->setAtomic(AtomicOrdering::Unordered);
  IRB.CreateCondBr(IRB.CreateAnd(IRB.CreateICmpEQ(Version, Current), OneWord),
                   Cont, Slow);

  IRB.SetInsertPoint(Slow);
  IRB.CreateCall(Hook, {Addr});
  IRB.CreateBr(Cont);
}

} // namespace akeso
