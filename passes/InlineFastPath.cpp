//===- InlineFastPath.cpp - the common case of a hook, inlined ------------===//
//
// An out-of-line call per access costs more than the work it does in the
// common case, and it clobbers the caller's registers.  So the pass inlines
// that case, reading the thread state and the version table through the
// layout abi.h fixes, and calls the hook only for the rest.
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

// The runtime's hook, inlined for the common case (abi.h documents the
// layout read here):
//
//   write: thread state exists, the access stays within one word, and the
//          word's version record already names the current domain (or the
//          word was never written inside a domain and none is active)
//   read:  thread state exists
//
// Then the access is only counted; anything else calls the hook, which
// logs, creates state or chunks, and counts.
void emitInlineFastPath(Module &M, const RuntimeCallees &RT,
                        Instruction *Before, Value *Addr, uint64_t Bytes,
                        Align Alignment, bool IsWrite, FunctionCallee Hook) {
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C);
  Type *PtrTy = PointerType::getUnqual(C);
  Instruction *I = Before;
  BasicBlock *Head = I->getParent();
  Function *F = Head->getParent();
  BasicBlock *Cont = Head->splitBasicBlock(I->getIterator(), "akeso.cont");
  Head->getTerminator()->eraseFromParent();
  BasicBlock *Fast = BasicBlock::Create(C, "akeso.fast", F, Cont);
  BasicBlock *Slow = BasicBlock::Create(C, "akeso.slow", F, Cont);

  IRBuilder<> IRB(Head);
  IRB.SetCurrentDebugLocation(I->getDebugLoc());
  Value *State = IRB.CreateLoad(PtrTy, RT.__akeso_thread, "akeso.thread");
  Value *NoState = IRB.CreateIsNull(State);
  uint64_t CounterOffset =
      IsWrite ? AKESO_THREAD_STORES_OFFSET : AKESO_THREAD_LOADS_OFFSET;

  if (!IsWrite) {
    IRB.CreateCondBr(NoState, Slow, Fast);
  } else {
    BasicBlock *Check = BasicBlock::Create(C, "akeso.check", F, Fast);
    BasicBlock *NoChunk = BasicBlock::Create(C, "akeso.nochunk", F, Fast);
    BasicBlock *Lookup = BasicBlock::Create(C, "akeso.lookup", F, Fast);
    IRB.CreateCondBr(NoState, Slow, Check);

    IRB.SetInsertPoint(Check);
    Value *Word = IRB.CreatePtrToInt(Addr, I64);
    Value *Current = IRB.CreateLoad(I64, State, "akeso.current");
    // An access aligned to its size never straddles two words.
    Value *OneWord = IRB.getTrue();
    if (Alignment.value() < Bytes)
      OneWord = IRB.CreateICmpULE(
          IRB.CreateAdd(IRB.CreateAnd(Word, WordBytes - 1),
                        IRB.getInt64(Bytes)),
          IRB.getInt64(WordBytes));
    Value *Directory =
        IRB.CreateLoad(PtrTy, RT.__akeso_version_directory, "akeso.dir");
    Value *ChunkIndex = IRB.CreateAnd(
        IRB.CreateLShr(Word, AKESO_VERSION_WORD_SHIFT +
                                 AKESO_VERSION_CHUNK_SHIFT),
        (uint64_t(1) << (AKESO_VERSION_ADDRESS_BITS - AKESO_VERSION_WORD_SHIFT -
                         AKESO_VERSION_CHUNK_SHIFT)) -
            1);
    Value *Chunk = IRB.CreateLoad(
        PtrTy, IRB.CreateGEP(PtrTy, Directory, ChunkIndex), "akeso.chunk");
    IRB.CreateCondBr(IRB.CreateIsNull(Chunk), NoChunk, Lookup);

    // No word of this chunk was ever written inside a domain: nothing to do
    // unless a domain is active now.
    IRB.SetInsertPoint(NoChunk);
    IRB.CreateCondBr(
        IRB.CreateAnd(IRB.CreateIsNull(Current), OneWord), Fast, Slow);

    IRB.SetInsertPoint(Lookup);
    Value *SlotIndex =
        IRB.CreateAnd(IRB.CreateLShr(Word, AKESO_VERSION_WORD_SHIFT),
                      (uint64_t(1) << AKESO_VERSION_CHUNK_SHIFT) - 1);
    Value *Version = IRB.CreateLoad(
        I64, IRB.CreateGEP(I64, Chunk, SlotIndex), "akeso.version");
    IRB.CreateCondBr(
        IRB.CreateAnd(IRB.CreateICmpEQ(Version, Current), OneWord), Fast,
        Slow);
  }

  IRB.SetInsertPoint(Fast);
  Value *CounterPtr = IRB.CreateConstInBoundsGEP1_64(IRB.getInt8Ty(), State,
                                                     CounterOffset);
  IRB.CreateStore(IRB.CreateAdd(IRB.CreateLoad(I64, CounterPtr),
                                IRB.getInt64(1)),
                  CounterPtr);
  IRB.CreateBr(Cont);

  IRB.SetInsertPoint(Slow);
  IRB.CreateCall(Hook, {Addr});
  IRB.CreateBr(Cont);
}

} // namespace akeso
