//===- InlineFastPath.cpp - the common case of a read or write hook -------===//
//
// An out-of-line call per access costs more than the work it does in the
// common case, and it clobbers the caller's registers.  So the pass inlines
// that case, reading the thread state and the version table through the
// layout abi.h fixes, and calls the hook only for the rest.
//
// Writes (the hook logs the word's old contents the first time the domain
// writes it, and makes the domain its last writer):
//
// clang-format off
//   state = __akeso_thread                       null: slow
//   chunk = directory[(addr >> 23) & mask]       null: done if no domain, else slow
//   v     = chunk[(addr >> 3) & mask]
//   v == state->current_id, within one word?     done, else slow
// clang-format on
//
// Reads (the hook forms a dependence edge on the word's last writer, 004
// §4.2; abi.h's rule: only a logged domain reading a word that another live
// domain wrote needs one):
//
// clang-format off
//   state = __akeso_thread                       null: done (no domain yet)
//   cur   = state->current_id                    0: done (unlogged)
//   chunk = directory[(addr >> 23) & mask]       null: done
//   v     = chunk[(addr >> 3) & mask]
//   v == 0 || v == cur?                          done, else slow
// clang-format on
//
// An access whose alignment is smaller than its size may straddle two
// words; it checks that it does not (an add and a compare) and otherwise
// calls the hook, which looks at every word, whenever the state says a
// domain is active.  A 16-byte read (two words at least) calls its hook
// whenever a logged domain is active, without looking at the table.
//
// The version records are atomics in the runtime, so they are read with
// unordered atomic loads (plain moves on x86).
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
static_assert(ReadFastPathMaxBytes == 2 * WordBytes);
static constexpr uint64_t DirectoryMask =
    (uint64_t(1) << (AKESO_VERSION_ADDRESS_BITS - AKESO_VERSION_WORD_SHIFT -
                     AKESO_VERSION_CHUNK_SHIFT)) -
    1;
static constexpr uint64_t ChunkMask =
    (uint64_t(1) << AKESO_VERSION_CHUNK_SHIFT) - 1;

// The address as an integer and the index of its chunk in the directory.
static Value *chunkIndex(IRBuilder<> &IRB, Value *Word) {
  return IRB.CreateAnd(IRB.CreateLShr(Word, AKESO_VERSION_WORD_SHIFT +
                                                AKESO_VERSION_CHUNK_SHIFT),
                       DirectoryMask);
}

// Whether Bytes at Word (as an integer) lie in one word: true when the
// alignment says so.
static Value *withinOneWord(IRBuilder<> &IRB, Value *Word, uint64_t Bytes,
                            Align Alignment) {
  if (Alignment.value() >= Bytes)
    return IRB.getTrue();
  return IRB.CreateICmpULE(
      IRB.CreateAdd(IRB.CreateAnd(Word, WordBytes - 1), IRB.getInt64(Bytes)),
      IRB.getInt64(WordBytes));
}

// A && OneWord, without an instruction when the access cannot straddle.
static Value *andOneWord(IRBuilder<> &IRB, Value *A, Value *OneWord) {
  if (auto *C = dyn_cast<ConstantInt>(OneWord); C && C->isOne())
    return A;
  return IRB.CreateAnd(A, OneWord);
}

// The chunk of version records that covers Word (null: never written
// inside a domain), and the record of Word in it.  Unordered loads: the
// runtime publishes chunks and records with atomic stores.
static Value *loadChunk(IRBuilder<> &IRB, const RuntimeCallees &RT,
                        Value *Word) {
  Type *PtrTy = IRB.getPtrTy();
  LoadInst *Directory =
      IRB.CreateLoad(PtrTy, RT.__akeso_version_directory, "akeso.dir");
  Directory->setAtomic(AtomicOrdering::Unordered);
  LoadInst *Chunk = IRB.CreateLoad(
      PtrTy, IRB.CreateGEP(PtrTy, Directory, chunkIndex(IRB, Word)),
      "akeso.chunk");
  Chunk->setAtomic(AtomicOrdering::Unordered);
  return Chunk;
}

static Value *loadVersion(IRBuilder<> &IRB, Value *Chunk, Value *Word) {
  Type *I64 = IRB.getInt64Ty();
  Value *SlotIndex =
      IRB.CreateAnd(IRB.CreateLShr(Word, AKESO_VERSION_WORD_SHIFT), ChunkMask);
  LoadInst *Version = IRB.CreateLoad(I64, IRB.CreateGEP(I64, Chunk, SlotIndex),
                                     "akeso.version");
  Version->setAtomic(AtomicOrdering::Unordered);
  return Version;
}

// Splits Before's block there: returns the continuation, with Head left
// without a terminator for the caller's checks.
static BasicBlock *splitBefore(Instruction *Before, const char *Name) {
  BasicBlock *Head = Before->getParent();
  BasicBlock *Cont = Head->splitBasicBlock(Before->getIterator(), Name);
  Head->getTerminator()->eraseFromParent();
  return Cont;
}

void emitWriteFastPath(Module &M, const RuntimeCallees &RT, Instruction *Before,
                       Value *Addr, uint64_t Bytes, Align Alignment,
                       FunctionCallee Hook) {
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C);
  Type *PtrTy = PointerType::getUnqual(C);
  BasicBlock *Head = Before->getParent();
  Function *F = Head->getParent();
  BasicBlock *Cont = splitBefore(Before, "akeso.cont");
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
  Value *OneWord = withinOneWord(IRB, Word, Bytes, Alignment);
  Value *Chunk = loadChunk(IRB, RT, Word);
  IRB.CreateCondBr(IRB.CreateIsNull(Chunk), NoChunk, Lookup);

  // No word of this chunk was ever written inside a domain: nothing to do
  // unless a domain is active now.
  IRB.SetInsertPoint(NoChunk);
  IRB.CreateCondBr(andOneWord(IRB, IRB.CreateIsNull(Current), OneWord), Cont,
                   Slow);

  IRB.SetInsertPoint(Lookup);
  Value *Version = loadVersion(IRB, Chunk, Word);
  IRB.CreateCondBr(andOneWord(IRB, IRB.CreateICmpEQ(Version, Current), OneWord),
                   Cont, Slow);

  IRB.SetInsertPoint(Slow);
  IRB.CreateCall(Hook, {Addr});
  IRB.CreateBr(Cont);
}

void emitReadFastPath(Module &M, const RuntimeCallees &RT, Instruction *Before,
                      Value *Addr, uint64_t Bytes, Align Alignment,
                      FunctionCallee Hook) {
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C);
  Type *PtrTy = PointerType::getUnqual(C);
  BasicBlock *Head = Before->getParent();
  Function *F = Head->getParent();
  BasicBlock *Cont = splitBefore(Before, "akeso.read.cont");
  BasicBlock *Check = BasicBlock::Create(C, "akeso.read.check", F, Cont);
  BasicBlock *Slow = BasicBlock::Create(C, "akeso.read.slow", F, Cont);

  IRBuilder<> IRB(Head);
  IRB.SetCurrentDebugLocation(Before->getDebugLoc());
  Value *State = IRB.CreateLoad(PtrTy, RT.__akeso_thread, "akeso.thread");
  IRB.CreateCondBr(IRB.CreateIsNull(State), Cont, Check);

  IRB.SetInsertPoint(Check);
  Value *Current = IRB.CreateLoad(I64, State, "akeso.current");
  Value *Unlogged = IRB.CreateICmpEQ(Current, IRB.getInt64(0));
  if (Bytes > WordBytes) {
    IRB.CreateCondBr(Unlogged, Cont, Slow);
  } else {
    BasicBlock *Lookup = BasicBlock::Create(C, "akeso.read.lookup", F, Slow);
    BasicBlock *Version = BasicBlock::Create(C, "akeso.read.version", F, Slow);
    IRB.CreateCondBr(Unlogged, Cont, Lookup);

    IRB.SetInsertPoint(Lookup);
    Value *Word = IRB.CreatePtrToInt(Addr, I64);
    Value *OneWord = withinOneWord(IRB, Word, Bytes, Alignment);
    Value *Chunk = loadChunk(IRB, RT, Word);
    // No word of this chunk was ever written inside a domain: nothing to
    // depend on, unless the access reaches into the next word.
    BasicBlock *NoChunk = Cont;
    if (!isa<Constant>(OneWord)) {
      NoChunk = BasicBlock::Create(C, "akeso.read.nochunk", F, Version);
      IRBuilder<> NB(NoChunk);
      NB.SetCurrentDebugLocation(Before->getDebugLoc());
      NB.CreateCondBr(OneWord, Cont, Slow);
    }
    IRB.CreateCondBr(IRB.CreateIsNull(Chunk), NoChunk, Version);

    IRB.SetInsertPoint(Version);
    Value *V = loadVersion(IRB, Chunk, Word);
    // Committed, or written by this domain: no edge to form.
    Value *NoEdge = IRB.CreateOr(IRB.CreateICmpEQ(V, IRB.getInt64(0)),
                                 IRB.CreateICmpEQ(V, Current));
    IRB.CreateCondBr(andOneWord(IRB, NoEdge, OneWord), Cont, Slow);
  }

  IRB.SetInsertPoint(Slow);
  IRB.CreateCall(Hook, {Addr});
  IRB.CreateBr(Cont);
}

} // namespace akeso
