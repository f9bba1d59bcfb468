//===- AccessCounters.cpp - counting instrumented accesses per block ------===//
//
// `stats=1` reports how many instrumented loads and stores ran.  Counting
// each access costs a load-add-store next to every one; counting a block's
// accesses once when the block is entered costs that per block, and differs
// only for a block left early (a fault jumping to a landing pad, exit).
// A thread with no runtime state yet counts into a module-local sink, so the
// update needs no branch.
//
//===----------------------------------------------------------------------===//
#include "AccessCounters.h"

#include "akeso/abi.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace akeso {

static GlobalVariable *counterSink(Module &M) {
  const char *Name = "akeso.uncounted";
  if (GlobalVariable *GV = M.getGlobalVariable(Name, true))
    return GV;
  auto *Ty = ArrayType::get(Type::getInt64Ty(M.getContext()),
                            AKESO_THREAD_STORES_OFFSET / 8 + 1);
  return new GlobalVariable(M, Ty, false, GlobalValue::InternalLinkage,
                            Constant::getNullValue(Ty), Name);
}

void emitAccessCounts(Module &M, const RuntimeCallees &RT, BasicBlock &BB,
                      uint64_t Loads, uint64_t Stores) {
  if (!Loads && !Stores)
    return;
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C);
  IRBuilder<> IRB(&BB, BB.getFirstInsertionPt());
  Value *State = IRB.CreateLoad(PointerType::getUnqual(C), RT.__akeso_thread,
                                "akeso.thread");
  Value *Counters =
      IRB.CreateSelect(IRB.CreateIsNull(State), counterSink(M), State);
  auto Add = [&](uint64_t Offset, uint64_t N) {
    if (!N)
      return;
    Value *Counter =
        IRB.CreateConstInBoundsGEP1_64(IRB.getInt8Ty(), Counters, Offset);
    IRB.CreateStore(
        IRB.CreateAdd(IRB.CreateLoad(I64, Counter), IRB.getInt64(N)), Counter);
  };
  Add(AKESO_THREAD_LOADS_OFFSET, Loads);
  Add(AKESO_THREAD_STORES_OFFSET, Stores);
}

} // namespace akeso
