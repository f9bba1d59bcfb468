//===- MemoryInstrumentation.cpp - log every write, see every read --------===//
//
// The first of akeso's three passes (004 §5.1.1).  Before each load, store,
// atomic read-modify-write, compare-exchange and memory intrinsic (and the
// libc calls memcpy/memmove/memset/bzero, and libc functions that write
// through a pointer such as strcpy, snprintf or read) it inserts a call to
// the runtime naming the address and size; the original access stays.  The
// runtime logs the old contents of a word the first time a domain writes
// it, which is what makes rollback possible.
//
// Allocation and release calls are rewritten too: a release (free,
// operator delete) inside a domain must wait for the domain to commit, or a
// rollback would restore words into freed memory, and an allocation must be
// released again if the domain rolls back.
//
// What provably cannot matter is skipped and counted: accesses to stack
// slots whose address never escapes (they die with the frame that a
// rollback unwinds), and reads of constant globals.  The pass runs at the
// end of the optimisation pipeline, like ThreadSanitizer, so accesses
// promoted to registers are never instrumented.
//
//===----------------------------------------------------------------------===//
#include "MemoryInstrumentation.h"

#include "RuntimeCallees.h"

#include "akeso/abi.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/CaptureTracking.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

#include <algorithm>

using namespace llvm;

#define DEBUG_TYPE "akeso-instrument"

STATISTIC(NumInstrumentedReads, "Reads instrumented");
STATISTIC(NumInstrumentedWrites, "Writes instrumented");
STATISTIC(NumInstrumentedRanges, "Memory intrinsics and libc range calls "
                                 "instrumented");
STATISTIC(NumSkippedLocalStack, "Accesses to non-escaping stack slots skipped");
STATISTIC(NumSkippedConstant, "Reads of constant globals skipped");
STATISTIC(NumSkippedAddrSpace, "Accesses in non-default address spaces "
                               "skipped");
STATISTIC(NumSkippedReads, "Reads skipped by -akeso-instrument-reads=false");
STATISTIC(NumInlineFastPaths, "Accesses given an inline fast path");
STATISTIC(NumLibcWrites, "libc calls whose destination is logged (strcpy, "
                         "read, ...)");
STATISTIC(NumDeferredReleases, "Release calls routed through the runtime");
STATISTIC(NumTrackedAllocations, "Allocation calls tracked");
STATISTIC(NumUntrackedAllocations, "Allocation calls not tracked (invoke "
                                   "with a shared normal destination)");

static cl::opt<bool> ClInstrumentReads(
    "akeso-instrument-reads", cl::init(true),
    cl::desc("Instrument loads (needed for dependence tracking)"), cl::Hidden);
static cl::opt<bool> ClInstrumentAtomics(
    "akeso-instrument-atomics", cl::init(true),
    cl::desc("Instrument atomic read-modify-write and compare-exchange"),
    cl::Hidden);
static cl::opt<bool> ClInstrumentMemIntrinsics(
    "akeso-instrument-memintrinsics", cl::init(true),
    cl::desc("Instrument memcpy/memmove/memset"), cl::Hidden);
static cl::opt<bool> ClInlineFastPath(
    "akeso-inline-fast-path", cl::init(true),
    cl::desc("Inline the common case of word reads and writes (a write to a "
             "word the domain has already logged) instead of calling the "
             "runtime"),
    cl::Hidden);
static cl::opt<bool> ClTrackAllocations(
    "akeso-track-allocations", cl::init(true),
    cl::desc("Defer releases and undo allocations made inside domains"),
    cl::Hidden);

namespace akeso {
namespace {

constexpr uint64_t WordBytes = uint64_t(1) << AKESO_VERSION_WORD_SHIFT;

// One access chosen for instrumentation.
struct Access {
  Instruction *I;
  Value *Addr;
  TypeSize Size = TypeSize::getFixed(0);
  Value *DynamicSize = nullptr; // for ranges
  bool IsWrite;
  const struct LibcWriter *Writer = nullptr; // size computed at the call
  Align Alignment = Align(1);
};

// One allocation or release call to route through the runtime.
struct AllocationCall {
  CallBase *Call;
  enum { Allocation, Release, Reallocation } Role;
  const char *ReleaseFn; // what undoes an allocation / performs a release
};

// libc and C++ allocation functions with the function that releases their
// result.  Sized and aligned deletes are mapped to what can be called with
// the object alone.
struct KnownAllocator {
  const char *Name;
  decltype(AllocationCall::Role) Role;
  const char *ReleaseFn;
};
constexpr KnownAllocator KnownAllocators[] = {
    {"malloc", AllocationCall::Allocation, "free"},
    {"calloc", AllocationCall::Allocation, "free"},
    {"strdup", AllocationCall::Allocation, "free"},
    {"strndup", AllocationCall::Allocation, "free"},
    {"aligned_alloc", AllocationCall::Allocation, "free"},
    {"memalign", AllocationCall::Allocation, "free"},
    {"realloc", AllocationCall::Reallocation, "free"},
    {"free", AllocationCall::Release, "free"},
    {"_Znwm", AllocationCall::Allocation, "_ZdlPv"},
    {"_Znam", AllocationCall::Allocation, "_ZdaPv"},
    {"_ZdlPv", AllocationCall::Release, "_ZdlPv"},
    {"_ZdaPv", AllocationCall::Release, "_ZdaPv"},
    {"_ZdlPvm", AllocationCall::Release, "_ZdlPv"},
    {"_ZdaPvm", AllocationCall::Release, "_ZdaPv"},
};

const KnownAllocator *knownAllocator(const CallBase &CB) {
  const Function *Callee = CB.getCalledFunction();
  if (!Callee || !Callee->isDeclaration())
    return nullptr;
  for (const KnownAllocator &A : KnownAllocators)
    if (Callee->getName() == A.Name)
      return &A;
  return nullptr;
}

// libc functions that write through a pointer argument, with how many bytes
// they may write: they run uninstrumented, so their destination is logged
// before the call.  A bound a function cannot exceed (strncpy's n, read's
// count) is logged whole; the extra words hold their old values and restore
// to them.
struct LibcWriter {
  const char *Name;
  unsigned Dest;
  enum SizeRule {
    ArgBytes,          // arg A
    ArgProduct,        // arg A * arg B
    StrlenArgPlusOne,  // strlen(arg A) + 1
    StrcatRule,        // strlen(dest) + strlen(arg A) + 1
    StrncatRule,       // strlen(dest) + arg A + 1
  } Rule;
  unsigned A, B;
};
constexpr LibcWriter LibcWriters[] = {
    {"strcpy", 0, LibcWriter::StrlenArgPlusOne, 1, 0},
    {"stpcpy", 0, LibcWriter::StrlenArgPlusOne, 1, 0},
    {"strncpy", 0, LibcWriter::ArgBytes, 2, 0},
    {"stpncpy", 0, LibcWriter::ArgBytes, 2, 0},
    {"strcat", 0, LibcWriter::StrcatRule, 1, 0},
    {"strncat", 0, LibcWriter::StrncatRule, 2, 0},
    {"memccpy", 0, LibcWriter::ArgBytes, 3, 0},
    {"snprintf", 0, LibcWriter::ArgBytes, 1, 0},
    {"vsnprintf", 0, LibcWriter::ArgBytes, 1, 0},
    {"fgets", 0, LibcWriter::ArgBytes, 1, 0},
    {"fread", 0, LibcWriter::ArgProduct, 1, 2},
    {"read", 1, LibcWriter::ArgBytes, 2, 0},
    {"pread", 1, LibcWriter::ArgBytes, 2, 0},
    {"recv", 1, LibcWriter::ArgBytes, 2, 0},
    {"recvfrom", 1, LibcWriter::ArgBytes, 2, 0},
};

const LibcWriter *libcWriter(const CallBase &CB) {
  const Function *Callee = CB.getCalledFunction();
  if (!Callee || !Callee->isDeclaration())
    return nullptr;
  for (const LibcWriter &W : LibcWriters)
    if (Callee->getName() == W.Name) {
      unsigned Needed = std::max({W.Dest, W.A, W.B}) + 1;
      return CB.arg_size() >= Needed ? &W : nullptr;
    }
  return nullptr;
}

bool isLibcRangeCall(const CallBase &CB, StringRef &Which) {
  const Function *Callee = CB.getCalledFunction();
  if (!Callee || !Callee->isDeclaration())
    return false;
  Which = Callee->getName();
  return Which == "memcpy" || Which == "memmove" || Which == "memset" ||
         Which == "bzero" || Which == "mempcpy";
}

class Instrumenter {
public:
  Instrumenter(Module &M) : M(M), DL(M.getDataLayout()), RT(M) {}

  bool runOnFunction(Function &F);

private:
  // Choosing what to instrument.
  bool shouldSkipAddress(Value *Addr, bool IsWrite);
  void chooseAccesses(Function &F, SmallVectorImpl<Access> &Accesses,
                      SmallVectorImpl<AllocationCall> &Allocations);
  // Rewriting.
  void instrumentAccess(const Access &A);
  void emitFastPath(const Access &A, FunctionCallee Hook);
  Value *libcWriteSize(IRBuilder<> &IRB, const Access &A);
  void instrumentAllocation(const AllocationCall &A);
  FunctionCallee releaseFunction(StringRef Name);

  Module &M;
  const DataLayout &DL;
  RuntimeCallees RT;
  SmallPtrSet<const Value *, 16> EscapingAllocas, LocalAllocas;
};

bool Instrumenter::shouldSkipAddress(Value *Addr, bool IsWrite) {
  if (Addr->getType()->getPointerAddressSpace() != 0) {
    ++NumSkippedAddrSpace;
    return true;
  }
  const Value *Base = getUnderlyingObject(Addr);
  if (auto *GV = dyn_cast<GlobalVariable>(Base)) {
    if (GV->isConstant() && !IsWrite) {
      ++NumSkippedConstant;
      return true;
    }
    return false;
  }
  if (isa<AllocaInst>(Base)) {
    if (LocalAllocas.count(Base)) {
      ++NumSkippedLocalStack;
      return true;
    }
    if (EscapingAllocas.count(Base))
      return false;
    if (!PointerMayBeCaptured(Base, /*ReturnCaptures=*/true,
                              /*StoreCaptures=*/true)) {
      LocalAllocas.insert(Base);
      ++NumSkippedLocalStack;
      return true;
    }
    EscapingAllocas.insert(Base);
  }
  return false;
}

void Instrumenter::chooseAccesses(
    Function &F, SmallVectorImpl<Access> &Accesses,
    SmallVectorImpl<AllocationCall> &Allocations) {
  auto Add = [&](Instruction *I, Value *Addr, Type *Ty, bool IsWrite,
                 Align Alignment = Align(1)) {
    if (!IsWrite && !ClInstrumentReads) {
      ++NumSkippedReads;
      return;
    }
    if (shouldSkipAddress(Addr, IsWrite))
      return;
    Accesses.push_back({I, Addr, DL.getTypeStoreSize(Ty), nullptr, IsWrite,
                        nullptr, Alignment});
  };
  auto AddRange = [&](Instruction *I, Value *Addr, Value *Len, bool IsWrite) {
    if (!IsWrite && !ClInstrumentReads) {
      ++NumSkippedReads;
      return;
    }
    if (shouldSkipAddress(Addr, IsWrite))
      return;
    Accesses.push_back({I, Addr, TypeSize::getFixed(0), Len, IsWrite});
  };

  for (Instruction &I : instructions(F)) {
    if (auto *LI = dyn_cast<LoadInst>(&I)) {
      Add(LI, LI->getPointerOperand(), LI->getType(), false, LI->getAlign());
    } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
      Add(SI, SI->getPointerOperand(), SI->getValueOperand()->getType(), true,
          SI->getAlign());
    } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
      if (ClInstrumentAtomics)
        Add(RMW, RMW->getPointerOperand(), RMW->getValOperand()->getType(),
            true, RMW->getAlign());
    } else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
      if (ClInstrumentAtomics)
        Add(CX, CX->getPointerOperand(), CX->getCompareOperand()->getType(),
            true, CX->getAlign());
    } else if (auto *MI = dyn_cast<AnyMemIntrinsic>(&I)) {
      if (!ClInstrumentMemIntrinsics)
        continue;
      AddRange(MI, MI->getRawDest(), MI->getLength(), true);
      if (auto *MT = dyn_cast<AnyMemTransferInst>(MI))
        AddRange(MT, MT->getRawSource(), MT->getLength(), false);
      ++NumInstrumentedRanges;
    } else if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
      // Masked vector accesses: the whole vector's bytes are covered; the
      // runtime logs words conservatively, which restores the same values.
      if (II->getIntrinsicID() == Intrinsic::masked_store)
        Add(II, II->getArgOperand(1), II->getArgOperand(0)->getType(), true);
      else if (II->getIntrinsicID() == Intrinsic::masked_load)
        Add(II, II->getArgOperand(0), II->getType(), false);
    } else if (auto *CB = dyn_cast<CallBase>(&I)) {
      StringRef Which;
      if (ClInstrumentMemIntrinsics && isLibcRangeCall(*CB, Which) &&
          CB->arg_size() >= 2) {
        if (Which == "bzero") {
          AddRange(CB, CB->getArgOperand(0), CB->getArgOperand(1), true);
        } else if (CB->arg_size() == 3) {
          AddRange(CB, CB->getArgOperand(0), CB->getArgOperand(2), true);
          if (Which != "memset")
            AddRange(CB, CB->getArgOperand(1), CB->getArgOperand(2), false);
        }
        ++NumInstrumentedRanges;
      } else if (const LibcWriter *W = libcWriter(*CB)) {
        Value *Dest = CB->getArgOperand(W->Dest);
        if (!shouldSkipAddress(Dest, true))
          Accesses.push_back(
              {CB, Dest, TypeSize::getFixed(0), nullptr, true, W});
      } else if (ClTrackAllocations) {
        if (const KnownAllocator *A = knownAllocator(*CB))
          Allocations.push_back({CB, A->Role, A->ReleaseFn});
      }
    }
  }
}

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
void Instrumenter::emitFastPath(const Access &A, FunctionCallee Hook) {
  LLVMContext &C = M.getContext();
  Type *I64 = Type::getInt64Ty(C);
  Type *PtrTy = PointerType::getUnqual(C);
  Instruction *I = A.I;
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
      A.IsWrite ? AKESO_THREAD_STORES_OFFSET : AKESO_THREAD_LOADS_OFFSET;

  if (!A.IsWrite) {
    IRB.CreateCondBr(NoState, Slow, Fast);
  } else {
    BasicBlock *Check = BasicBlock::Create(C, "akeso.check", F, Fast);
    BasicBlock *NoChunk = BasicBlock::Create(C, "akeso.nochunk", F, Fast);
    BasicBlock *Lookup = BasicBlock::Create(C, "akeso.lookup", F, Fast);
    IRB.CreateCondBr(NoState, Slow, Check);

    IRB.SetInsertPoint(Check);
    Value *Addr = IRB.CreatePtrToInt(A.Addr, I64);
    Value *Current = IRB.CreateLoad(I64, State, "akeso.current");
    uint64_t Size = A.Size.getFixedValue();
    // An access aligned to its size never straddles two words.
    Value *OneWord = IRB.getTrue();
    if (A.Alignment.value() < Size)
      OneWord = IRB.CreateICmpULE(
          IRB.CreateAdd(IRB.CreateAnd(Addr, WordBytes - 1),
                        IRB.getInt64(Size)),
          IRB.getInt64(WordBytes));
    Value *Directory =
        IRB.CreateLoad(PtrTy, RT.__akeso_version_directory, "akeso.dir");
    Value *ChunkIndex = IRB.CreateAnd(
        IRB.CreateLShr(Addr, AKESO_VERSION_WORD_SHIFT +
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
        IRB.CreateAnd(IRB.CreateLShr(Addr, AKESO_VERSION_WORD_SHIFT),
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
  IRB.CreateCall(Hook, {A.Addr});
  IRB.CreateBr(Cont);
  ++NumInlineFastPaths;
}

Value *Instrumenter::libcWriteSize(IRBuilder<> &IRB, const Access &A) {
  LLVMContext &C = M.getContext();
  Type *IntPtrTy = DL.getIntPtrType(C);
  auto *CB = cast<CallBase>(A.I);
  auto Arg = [&](unsigned I) {
    return IRB.CreateZExtOrTrunc(CB->getArgOperand(I), IntPtrTy);
  };
  FunctionCallee Strlen = M.getOrInsertFunction(
      "strlen", FunctionType::get(IntPtrTy, {PointerType::getUnqual(C)}, false));
  auto Len = [&](Value *S) { return IRB.CreateCall(Strlen, {S}); };
  Value *One = ConstantInt::get(IntPtrTy, 1);
  switch (A.Writer->Rule) {
  case LibcWriter::ArgBytes:
    return Arg(A.Writer->A);
  case LibcWriter::ArgProduct:
    return IRB.CreateMul(Arg(A.Writer->A), Arg(A.Writer->B));
  case LibcWriter::StrlenArgPlusOne:
    return IRB.CreateAdd(Len(CB->getArgOperand(A.Writer->A)), One);
  case LibcWriter::StrcatRule:
    return IRB.CreateAdd(
        IRB.CreateAdd(Len(A.Addr), Len(CB->getArgOperand(A.Writer->A))), One);
  case LibcWriter::StrncatRule:
    return IRB.CreateAdd(IRB.CreateAdd(Len(A.Addr), Arg(A.Writer->A)), One);
  }
  llvm_unreachable("unknown libc size rule");
}

void Instrumenter::instrumentAccess(const Access &A) {
  IRBuilder<> IRB(A.I);
  Type *IntPtrTy = DL.getIntPtrType(M.getContext());
  if (A.Writer) {
    IRB.CreateCall(RT.__akeso_write_range, {A.Addr, libcWriteSize(IRB, A)});
    ++NumLibcWrites;
    ++NumInstrumentedWrites;
    return;
  }
  if (A.DynamicSize) {
    IRB.CreateCall(A.IsWrite ? RT.__akeso_write_range : RT.__akeso_read_range,
                   {A.Addr, IRB.CreateZExtOrTrunc(A.DynamicSize, IntPtrTy)});
  } else if (A.Size.isScalable()) {
    IRB.CreateCall(A.IsWrite ? RT.__akeso_write_range : RT.__akeso_read_range,
                   {A.Addr, IRB.CreateTypeSize(IntPtrTy, A.Size)});
  } else if (FunctionCallee Hook =
                 RT.fixedSizeHook(A.IsWrite, A.Size.getFixedValue())) {
    if (ClInlineFastPath && A.Size.getFixedValue() <= WordBytes)
      emitFastPath(A, Hook);
    else
      IRB.CreateCall(Hook, {A.Addr});
  } else {
    IRB.CreateCall(A.IsWrite ? RT.__akeso_write_range : RT.__akeso_read_range,
                   {A.Addr, ConstantInt::get(IntPtrTy, A.Size.getFixedValue())});
  }
  if (A.IsWrite)
    ++NumInstrumentedWrites;
  else
    ++NumInstrumentedReads;
}

FunctionCallee Instrumenter::releaseFunction(StringRef Name) {
  LLVMContext &C = M.getContext();
  return M.getOrInsertFunction(
      Name, FunctionType::get(Type::getVoidTy(C), {PointerType::getUnqual(C)},
                              false));
}

void Instrumenter::instrumentAllocation(const AllocationCall &A) {
  CallBase *CB = A.Call;
  switch (A.Role) {
  case AllocationCall::Release: {
    if (!isa<CallInst>(CB) || CB->arg_size() < 1)
      return;
    IRBuilder<> IRB(CB);
    IRB.CreateCall(RT.__akeso_release,
                   {CB->getArgOperand(0),
                    releaseFunction(A.ReleaseFn).getCallee()});
    CB->eraseFromParent();
    ++NumDeferredReleases;
    return;
  }
  case AllocationCall::Reallocation:
    CB->setCalledFunction(RT.__akeso_realloc);
    ++NumTrackedAllocations;
    return;
  case AllocationCall::Allocation: {
    Instruction *InsertPt = nullptr;
    if (auto *Invoke = dyn_cast<InvokeInst>(CB)) {
      BasicBlock *Normal = Invoke->getNormalDest();
      if (!Normal->getSinglePredecessor()) {
        ++NumUntrackedAllocations;
        return;
      }
      InsertPt = &*Normal->getFirstInsertionPt();
    } else {
      InsertPt = CB->getNextNode();
    }
    IRBuilder<> IRB(InsertPt);
    IRB.CreateCall(RT.__akeso_allocated,
                   {CB, releaseFunction(A.ReleaseFn).getCallee()});
    ++NumTrackedAllocations;
    return;
  }
  }
}

bool Instrumenter::runOnFunction(Function &F) {
  // Wrappers are instrumented too: the optimiser may inline a domain's body
  // into its wrapper.
  if (F.isDeclaration() ||
      F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation) ||
      F.hasFnAttribute(Attribute::Naked) || F.getName().starts_with("__akeso_"))
    return false;
  SmallVector<Access, 32> Accesses;
  SmallVector<AllocationCall, 8> Allocations;
  EscapingAllocas.clear();
  LocalAllocas.clear();
  chooseAccesses(F, Accesses, Allocations);
  for (const Access &A : Accesses)
    instrumentAccess(A);
  for (const AllocationCall &A : Allocations)
    instrumentAllocation(A);
  return !Accesses.empty() || !Allocations.empty();
}

} // namespace

PreservedAnalyses MemoryInstrumentationPass::run(Module &M,
                                                 ModuleAnalysisManager &) {
  Instrumenter I(M);
  bool Changed = false;
  for (Function &F : M)
    Changed |= I.runOnFunction(F);
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace akeso
