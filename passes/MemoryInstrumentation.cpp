//===- MemoryInstrumentation.cpp - log every write, see every read --------===//
//
// The first of akeso's three passes (004 §5.1.1).  Before each store,
// read-modify-write, masked or scattered vector store and memory intrinsic
// it inserts a call to the runtime naming the address and size; the
// original access stays as it is.  The runtime logs the old contents of a
// word the first time a domain writes it, which is what makes rollback
// possible.  Before each load it inserts the read check of 004 §4.2: a
// logged domain reading a word another live domain wrote calls the read
// hook, which forms a dependence edge.  The common cases of word reads and
// writes are inlined (InlineFastPath.cpp); accesses are also counted, per
// block (AccessCounters.cpp).
//
// Atomics are synchronization, not data (004 §5.2): an atomic add or
// subtract, exchange, successful compare-exchange and atomic store of a
// 1/2/4/8-byte integer, pointer or floating value tells the runtime what it
// did (__akeso_atomic_add / _exchanged / _store), which compensates it on
// rollback without versioning the word; other read-modify-writes (and, or,
// max, fadd, ...) and 16-byte ones are logged as writes.  Atomic loads are
// ordinary reads.
//
// Library functions run uninstrumented, so calls to the ones that write
// through a pointer (strcpy, snprintf, read, ...: LibcModel.cpp) log their
// destination first.  Allocation and release calls are rewritten too: a
// release inside a domain must wait for the domain to commit, or a rollback
// would restore words into freed memory, and an allocation must be released
// again if the domain rolls back.  For the same reason a call of a function
// the annotation file names as an inverse (kv_free) becomes
// __akeso_defer_call through a thunk (InverseCalls.h), run when the
// innermost logged domain commits.
//
// What provably cannot matter is skipped and counted: accesses to stack
// slots whose address never escapes (they die with the frame that a
// rollback unwinds), and reads of constant globals.  The pass runs at the
// end of the optimisation pipeline, like ThreadSanitizer, so accesses
// promoted to registers are never instrumented.
//
//===----------------------------------------------------------------------===//
#include "MemoryInstrumentation.h"

#include "AccessCounters.h"
#include "AnnotationSource.h"
#include "InlineFastPath.h"
#include "InverseCalls.h"
#include "LibcModel.h"
#include "RuntimeCallees.h"

#include "llvm/ADT/MapVector.h"
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
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;

#define DEBUG_TYPE "akeso-instrument"

STATISTIC(NumInstrumentedReads, "Reads instrumented");
STATISTIC(NumInstrumentedWrites, "Writes instrumented");
STATISTIC(NumInlineFastPaths, "Writes given an inline fast path");
STATISTIC(NumInlineReadFastPaths, "Reads given an inline fast path");
STATISTIC(NumAtomicAdds, "Atomic adds and subtracts reported to the runtime");
STATISTIC(NumAtomicExchanges, "Atomic exchanges and compare-exchanges "
                              "reported to the runtime");
STATISTIC(NumAtomicStores, "Atomic stores reported to the runtime");
STATISTIC(NumDeferredInverseCalls, "Calls of inverses deferred to commit");
STATISTIC(NumInverseCallsNotDeferred,
          "Calls of inverses not deferred (result used, invoke, musttail, "
          "stack argument, unsupported parameters)");
STATISTIC(NumInstrumentedRanges, "Memory intrinsics and library calls whose "
                                 "ranges are logged");
STATISTIC(NumVectorLaneWrites, "Masked, scattered and compressed vector "
                               "stores logged lane by lane");
STATISTIC(NumSkippedLocalStack, "Accesses to non-escaping stack slots skipped");
STATISTIC(NumSkippedConstant, "Reads of constant globals skipped");
STATISTIC(NumSkippedAddrSpace, "Accesses in non-default address spaces "
                               "skipped");
STATISTIC(NumSkippedReads, "Reads skipped by -akeso-instrument-reads=false");
STATISTIC(NumDeferredReleases, "Release calls routed through the runtime");
STATISTIC(NumTrackedAllocations, "Allocation calls tracked");
STATISTIC(NumReplacedCalls, "Library calls replaced by runtime versions");
STATISTIC(NumOutputCalls, "Output calls (write, send, ...) announced to the "
                          "runtime");
STATISTIC(NumUntrackedScalableLanes, "Scalable-vector masked stores not "
                                     "logged (no fixed lane count)");
STATISTIC(NumUntrackedAllocations, "Allocation and release calls not tracked "
                                   "(invoke, musttail, non-constant "
                                   "alignment)");

static cl::opt<bool> ClInstrumentReads(
    "akeso-instrument-reads", cl::init(true),
    cl::desc("Instrument loads (needed for dependence tracking)"), cl::Hidden);
static cl::opt<bool> ClInstrumentAtomics(
    "akeso-instrument-atomics", cl::init(true),
    cl::desc("Instrument atomic read-modify-write and compare-exchange, and "
             "report atomic stores as atomics (false: they are logged as "
             "plain writes)"),
    cl::Hidden);
static cl::opt<bool> ClInstrumentMemIntrinsics(
    "akeso-instrument-memintrinsics", cl::init(true),
    cl::desc("Instrument memcpy/memmove/memset and library functions that "
             "write memory"),
    cl::Hidden);
static cl::opt<bool> ClInlineFastPath(
    "akeso-inline-fast-path", cl::init(true),
    cl::desc("Inline the common case of word reads and writes (a write to a "
             "word the domain has already logged) instead of calling the "
             "runtime"),
    cl::Hidden);
static cl::opt<bool> ClTrackLocks(
    "akeso-track-locks", cl::init(true),
    cl::desc("Release locks a rolled-back domain acquired, and re-acquire "
             "the ones it released"),
    cl::Hidden);
static cl::opt<bool> ClTrackOutput(
    "akeso-track-output", cl::init(true),
    cl::desc("Announce output system calls (write, send, ...) to the runtime "
             "so a rolled-back domain that performed output is reported"),
    cl::Hidden);
static cl::opt<bool> ClTrackAllocations(
    "akeso-track-allocations", cl::init(true),
    cl::desc("Defer releases and undo allocations made inside domains"),
    cl::Hidden);

namespace akeso {
namespace {

// A function attribute marking what this pass has instrumented, so IR that
// goes through the pipeline twice is not instrumented twice.
constexpr const char *InstrumentedAttr = "akeso-instrumented";

// How an atomic access is reported to the runtime (abi.def), if it is.
enum class AtomicHook {
  None,     // not atomic, or logged as a plain write
  Add,      // atomicrmw add/sub: __akeso_atomic_add after
  Exchange, // atomicrmw xchg: __akeso_atomic_exchanged after
  CmpXchg,  // cmpxchg: __akeso_atomic_exchanged after, if it succeeded
  Store,    // store atomic: __akeso_atomic_store before
};

// One access chosen for instrumentation: Bytes bytes at Addr, or a range
// whose length is Length, or one a library call computes (Effect).
struct Access {
  Instruction *I;
  Value *Addr;
  bool IsWrite;
  TypeSize Bytes = TypeSize::getFixed(0);
  Align Alignment = Align(1);
  Value *Length = nullptr;
  const LibcEffect *Effect = nullptr;
  AtomicHook Atomic = AtomicHook::None;
};

class Instrumenter {
public:
  Instrumenter(Module &M, InverseNames Inverses)
      : M(M), DL(M.getDataLayout()), RT(M), Inverses(std::move(Inverses)) {}

  // The program was compiled with the pass (abi.def, __akeso_instrumented).
  void markModule() { RT.defineInstrumentedMarker(M); }

  bool runOnFunction(Function &F);

private:
  // Choosing what to instrument.
  bool shouldSkipAddress(Value *Addr, bool IsWrite);
  AtomicHook atomicHookFor(const Instruction &I, Type *ValueTy) const;
  bool isDeferrableInverseCall(const Function &F, CallBase &CB) const;
  void chooseAccesses(
      Function &F, SmallVectorImpl<Access> &Accesses,
      SmallVectorImpl<CallBase *> &LaneWrites,
      SmallVectorImpl<std::pair<CallBase *, const LibcEffect *>> &LibraryCalls,
      SmallVectorImpl<CallInst *> &DeferredCalls);
  // Rewriting.
  void instrumentAccess(const Access &A);
  void instrumentAtomic(const Access &A);
  void deferInverseCall(CallInst *CI);
  Value *libraryWriteSize(IRBuilder<> &IRB, const Access &A);
  void instrumentLaneWrites(CallBase *CB);
  void rewriteLibraryCall(CallBase *CB, const LibcEffect &Effect);
  Value *releaseFunction(const CallBase &CB, const LibcEffect &Effect);
  Instruction *pointAfter(CallBase *CB);

  Module &M;
  const DataLayout &DL;
  RuntimeCallees RT;
  InverseNames Inverses;
  SmallPtrSet<const Value *, 16> EscapingAllocas, LocalAllocas;
};

// Atomics the runtime is told about: 1, 2, 4 or 8 bytes (at most a size_t)
// of an integer, a pointer or a floating value (by its bits).
AtomicHook Instrumenter::atomicHookFor(const Instruction &I,
                                       Type *ValueTy) const {
  if (!ClInstrumentAtomics)
    return AtomicHook::None;
  TypeSize Bits = DL.getTypeSizeInBits(ValueTy);
  if (Bits.isScalable() || !(ValueTy->isIntegerTy() || ValueTy->isPointerTy() ||
                             ValueTy->isFloatingPointTy()))
    return AtomicHook::None;
  uint64_t B = Bits.getFixedValue();
  if ((B != 8 && B != 16 && B != 32 && B != 64) ||
      DL.getTypeStoreSizeInBits(ValueTy) != B ||
      B > DL.getIntPtrType(M.getContext())->getIntegerBitWidth())
    return AtomicHook::None;
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
    switch (RMW->getOperation()) {
    case AtomicRMWInst::Add:
    case AtomicRMWInst::Sub:
      return AtomicHook::Add;
    case AtomicRMWInst::Xchg:
      return AtomicHook::Exchange;
    default:
      return AtomicHook::None;
    }
  }
  if (isa<AtomicCmpXchgInst>(I))
    return AtomicHook::CmpXchg;
  if (auto *SI = dyn_cast<StoreInst>(&I); SI && SI->isAtomic())
    return AtomicHook::Store;
  return AtomicHook::None;
}

// A direct call of an inverse whose result nobody uses, with arguments the
// thunk convention can carry, none of them pointing into the caller's
// frame (which is gone by the time a deferred call runs).  Calls made by
// an inverse itself (a recursive release, or one release calling another)
// run when it runs.
bool Instrumenter::isDeferrableInverseCall(const Function &F,
                                           CallBase &CB) const {
  Function *Callee = CB.getCalledFunction();
  if (!Callee || !Inverses.names(*Callee))
    return false;
  StringRef Caller = F.getName();
  Caller.consume_back(".akeso.body"); // an inverse that is also a domain
  if (Inverses.names(F) || Inverses.namesSymbol(Caller))
    return false;
  auto *CI = dyn_cast<CallInst>(&CB);
  bool Deferrable = CI && !CI->isMustTailCall() && CI->use_empty() &&
                    CI->getFunctionType() == Callee->getFunctionType() &&
                    thunkCalleeProblems(*Callee, "").empty();
  for (Value *Arg : CB.args()) {
    if (!Deferrable)
      break;
    if (!Arg->getType()->isPointerTy())
      continue;
    const Value *Base = getUnderlyingObject(Arg);
    if (isa<AllocaInst>(Base) ||
        (isa<Argument>(Base) &&
         cast<Argument>(Base)->hasPassPointeeByValueCopyAttr()))
      Deferrable = false;
  }
  if (!Deferrable)
    ++NumInverseCallsNotDeferred;
  return Deferrable;
}

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
    SmallVectorImpl<CallBase *> &LaneWrites,
    SmallVectorImpl<std::pair<CallBase *, const LibcEffect *>> &LibraryCalls,
    SmallVectorImpl<CallInst *> &DeferredCalls) {
  auto Add = [&](Access A) {
    if (!A.IsWrite && !ClInstrumentReads) {
      ++NumSkippedReads;
      return;
    }
    if (!shouldSkipAddress(A.Addr, A.IsWrite))
      Accesses.push_back(A);
  };
  auto AddTyped = [&](Instruction *I, Value *Addr, Type *Ty, bool IsWrite,
                      Align Alignment) {
    Add({I, Addr, IsWrite, DL.getTypeStoreSize(Ty), Alignment, nullptr, nullptr,
         IsWrite ? atomicHookFor(*I, Ty) : AtomicHook::None});
  };
  auto AddRange = [&](Instruction *I, Value *Addr, Value *Length,
                      bool IsWrite) {
    Access A{I, Addr, IsWrite};
    A.Length = Length;
    Add(A);
  };

  for (Instruction &I : instructions(F)) {
    if (auto *LI = dyn_cast<LoadInst>(&I)) {
      AddTyped(LI, LI->getPointerOperand(), LI->getType(), false,
               LI->getAlign());
    } else if (auto *SI = dyn_cast<StoreInst>(&I)) {
      AddTyped(SI, SI->getPointerOperand(), SI->getValueOperand()->getType(),
               true, SI->getAlign());
    } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
      if (ClInstrumentAtomics)
        AddTyped(RMW, RMW->getPointerOperand(), RMW->getValOperand()->getType(),
                 true, RMW->getAlign());
    } else if (auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
      if (ClInstrumentAtomics)
        AddTyped(CX, CX->getPointerOperand(),
                 CX->getCompareOperand()->getType(), true, CX->getAlign());
    } else if (auto *MI = dyn_cast<AnyMemIntrinsic>(&I)) {
      if (!ClInstrumentMemIntrinsics)
        continue;
      AddRange(MI, MI->getRawDest(), MI->getLength(), true);
      if (auto *MT = dyn_cast<AnyMemTransferInst>(MI))
        AddRange(MT, MT->getRawSource(), MT->getLength(), false);
      ++NumInstrumentedRanges;
    } else if (auto *II = dyn_cast<IntrinsicInst>(&I)) {
      switch (II->getIntrinsicID()) {
      case Intrinsic::masked_store:
      case Intrinsic::masked_scatter:
      case Intrinsic::masked_compressstore:
        LaneWrites.push_back(II);
        break;
      case Intrinsic::masked_load:
        AddTyped(II, II->getArgOperand(0), II->getType(), false, Align(1));
        break;
      default:
        break;
      }
    } else if (auto *CB = dyn_cast<CallBase>(&I)) {
      const LibcEffect *Effect = libcEffect(*CB);
      if (!Effect) {
        if (isDeferrableInverseCall(F, *CB))
          DeferredCalls.push_back(cast<CallInst>(CB));
        continue;
      }
      if (Effect->Kind == LibcEffect::Write) {
        if (!ClInstrumentMemIntrinsics)
          continue;
        Access A{CB, CB->getArgOperand(Effect->Dest), true};
        A.Effect = Effect;
        Add(A);
        if (Effect->Source >= 0) {
          Access R{CB, CB->getArgOperand(Effect->Source), false};
          R.Effect = Effect;
          Add(R);
        }
        ++NumInstrumentedRanges;
      } else {
        // Which switch a replacement answers to: realloc's is about
        // allocation, the lock functions' about locks, the rest (sprintf,
        // recvfrom) about writes.
        StringRef Partner = Effect->Partner ? Effect->Partner : "";
        bool Wanted = ClTrackAllocations;
        if (Effect->Kind == LibcEffect::Output) {
          Wanted = ClTrackOutput;
        } else if (Effect->Kind == LibcEffect::Replace) {
          if (Partner.contains("lock"))
            Wanted = ClTrackLocks;
          else if (!Partner.starts_with("__akeso_realloc"))
            Wanted = ClInstrumentMemIntrinsics;
        }
        if (Wanted)
          LibraryCalls.push_back({CB, Effect});
      }
    }
  }
}

Value *Instrumenter::libraryWriteSize(IRBuilder<> &IRB, const Access &A) {
  LLVMContext &C = M.getContext();
  Type *IntPtrTy = DL.getIntPtrType(C);
  auto *CB = cast<CallBase>(A.I);
  const LibcEffect &E = *A.Effect;
  // A count narrower than size_t is a C int (fgets' n): negative means
  // nothing is written.
  auto Arg = [&](int I) -> Value * {
    Value *V = CB->getArgOperand(I);
    if (V->getType()->getIntegerBitWidth() >= IntPtrTy->getIntegerBitWidth())
      return IRB.CreateZExtOrTrunc(V, IntPtrTy);
    Value *Negative = IRB.CreateICmpSLT(V, ConstantInt::get(V->getType(), 0));
    return IRB.CreateSelect(Negative, ConstantInt::get(IntPtrTy, 0),
                            IRB.CreateSExt(V, IntPtrTy));
  };
  Type *PtrTy = PointerType::getUnqual(C);
  FunctionCallee Strlen = M.getOrInsertFunction(
      "strlen", FunctionType::get(IntPtrTy, {PtrTy}, false));
  FunctionCallee Strnlen = M.getOrInsertFunction(
      "strnlen", FunctionType::get(IntPtrTy, {PtrTy, IntPtrTy}, false));
  auto Len = [&](Value *S) { return IRB.CreateCall(Strlen, {S}); };
  Value *One = ConstantInt::get(IntPtrTy, 1);
  Value *Dest = CB->getArgOperand(E.Dest);
  switch (E.Size) {
  case SizeRule::Arg:
    return Arg(E.A);
  case SizeRule::ArgProduct:
    return IRB.CreateMul(Arg(E.A), Arg(E.B));
  case SizeRule::StrlenOfArgPlusOne:
    return IRB.CreateAdd(Len(CB->getArgOperand(E.A)), One);
  case SizeRule::Strcat:
    return IRB.CreateAdd(IRB.CreateAdd(Len(Dest), Len(CB->getArgOperand(E.A))),
                         One);
  case SizeRule::Strncat: {
    Value *Existing = Len(Dest);
    Value *Appended =
        IRB.CreateCall(Strnlen, {CB->getArgOperand(E.A), Arg(E.B)});
    return IRB.CreateAdd(IRB.CreateAdd(Existing, Appended), One);
  }
  case SizeRule::WideChars:
    return IRB.CreateMul(Arg(E.A), ConstantInt::get(IntPtrTy, 4));
  }
  llvm_unreachable("unknown size rule");
}

// Tells the runtime what an atomic did (abi.def).  Values travel as size_t:
// integers and the bits of floating values zero-extended, pointers as
// integers; an add's delta sign-extended (a subtract's negated first), of
// which the runtime uses the low `bytes` bytes.
void Instrumenter::instrumentAtomic(const Access &A) {
  Type *SizeTy = DL.getIntPtrType(M.getContext());
  auto Bits = [&](IRBuilder<> &IRB, Value *V) -> Value * {
    Type *T = V->getType();
    if (T->isPointerTy())
      return IRB.CreatePtrToInt(V, SizeTy);
    if (T->isFloatingPointTy())
      V = IRB.CreateBitCast(
          V, IRB.getIntNTy(DL.getTypeSizeInBits(T).getFixedValue()));
    return IRB.CreateZExt(V, SizeTy);
  };
  Value *Bytes = ConstantInt::get(SizeTy, A.Bytes.getFixedValue());
  ++NumInstrumentedWrites;
  switch (A.Atomic) {
  case AtomicHook::Add: {
    auto *RMW = cast<AtomicRMWInst>(A.I);
    IRBuilder<> IRB(RMW->getNextNode());
    Value *Delta = IRB.CreateSExt(RMW->getValOperand(), SizeTy);
    if (RMW->getOperation() == AtomicRMWInst::Sub)
      Delta = IRB.CreateNeg(Delta);
    IRB.CreateCall(RT.__akeso_atomic_add, {A.Addr, Bytes, Delta});
    ++NumAtomicAdds;
    return;
  }
  case AtomicHook::Exchange: {
    auto *RMW = cast<AtomicRMWInst>(A.I);
    IRBuilder<> IRB(RMW->getNextNode());
    IRB.CreateCall(
        RT.__akeso_atomic_exchanged,
        {A.Addr, Bytes, Bits(IRB, RMW), Bits(IRB, RMW->getValOperand())});
    ++NumAtomicExchanges;
    return;
  }
  case AtomicHook::CmpXchg: {
    auto *CX = cast<AtomicCmpXchgInst>(A.I);
    IRBuilder<> IRB(CX->getNextNode());
    Value *Succeeded = IRB.CreateExtractValue(CX, 1, "akeso.succeeded");
    Instruction *Then = SplitBlockAndInsertIfThen(
        Succeeded, CX->getNextNode()->getNextNode(), /*Unreachable=*/false);
    Then->getParent()->setName("akeso.exchanged");
    Then->getParent()->getSingleSuccessor()->setName("akeso.exchanged.cont");
    IRB.SetInsertPoint(Then);
    IRB.CreateCall(RT.__akeso_atomic_exchanged,
                   {A.Addr, Bytes, Bits(IRB, CX->getCompareOperand()),
                    Bits(IRB, CX->getNewValOperand())});
    ++NumAtomicExchanges;
    return;
  }
  case AtomicHook::Store: {
    auto *SI = cast<StoreInst>(A.I);
    IRBuilder<> IRB(SI);
    IRB.CreateCall(RT.__akeso_atomic_store,
                   {A.Addr, Bytes, Bits(IRB, SI->getValueOperand())});
    ++NumAtomicStores;
    return;
  }
  case AtomicHook::None:
    break;
  }
  llvm_unreachable("not an atomic reported to the runtime");
}

void Instrumenter::instrumentAccess(const Access &A) {
  if (A.Atomic != AtomicHook::None)
    return instrumentAtomic(A);
  IRBuilder<> IRB(A.I);
  Type *IntPtrTy = DL.getIntPtrType(M.getContext());
  FunctionCallee Range =
      A.IsWrite ? RT.__akeso_write_range : RT.__akeso_read_range;
  A.IsWrite ? ++NumInstrumentedWrites : ++NumInstrumentedReads;
  if (A.Effect) {
    IRB.CreateCall(Range, {A.Addr, libraryWriteSize(IRB, A)});
  } else if (A.Length) {
    IRB.CreateCall(Range, {A.Addr, IRB.CreateZExtOrTrunc(A.Length, IntPtrTy)});
  } else if (A.Bytes.isScalable()) {
    IRB.CreateCall(Range, {A.Addr, IRB.CreateTypeSize(IntPtrTy, A.Bytes)});
  } else if (FunctionCallee Hook =
                 RT.fixedSizeHook(A.IsWrite, A.Bytes.getFixedValue())) {
    uint64_t Bytes = A.Bytes.getFixedValue();
    if (ClInlineFastPath && A.IsWrite && Bytes <= FastPathMaxBytes) {
      emitWriteFastPath(M, RT, A.I, A.Addr, Bytes, A.Alignment, Hook);
      ++NumInlineFastPaths;
    } else if (ClInlineFastPath && !A.IsWrite &&
               Bytes <= ReadFastPathMaxBytes) {
      emitReadFastPath(M, RT, A.I, A.Addr, Bytes, A.Alignment, Hook);
      ++NumInlineReadFastPaths;
    } else {
      IRB.CreateCall(Hook, {A.Addr});
    }
  } else {
    IRB.CreateCall(
        Range, {A.Addr, ConstantInt::get(IntPtrTy, A.Bytes.getFixedValue())});
  }
}

// Masked, scattered and compressed stores write only their active lanes, and
// the inactive ones may point anywhere (past the end of an array, or
// nowhere), so each lane is logged only if its mask bit is set.
void Instrumenter::instrumentLaneWrites(CallBase *CB) {
  auto *II = cast<IntrinsicInst>(CB);
  auto *VecTy = dyn_cast<FixedVectorType>(II->getArgOperand(0)->getType());
  if (!VecTy) {
    ++NumUntrackedScalableLanes;
    return;
  }
  IRBuilder<> IRB(II);
  Type *IntPtrTy = DL.getIntPtrType(M.getContext());
  Type *Elem = VecTy->getElementType();
  uint64_t ElemBytes = DL.getTypeStoreSize(Elem);
  unsigned Lanes = VecTy->getNumElements();
  Value *Base = II->getArgOperand(1);
  if (II->getIntrinsicID() == Intrinsic::masked_compressstore) {
    // The active lanes are stored contiguously from the base pointer.
    Value *Mask = II->getArgOperand(2);
    Value *Bits = IRB.CreateBitCast(Mask, IRB.getIntNTy(Lanes));
    Value *Active = IRB.CreateUnaryIntrinsic(Intrinsic::ctpop, Bits);
    Value *Bytes = IRB.CreateMul(IRB.CreateZExtOrTrunc(Active, IntPtrTy),
                                 ConstantInt::get(IntPtrTy, ElemBytes));
    IRB.CreateCall(RT.__akeso_write_range, {Base, Bytes});
    ++NumVectorLaneWrites;
    return;
  }
  Value *Mask = II->getArgOperand(3);
  bool Scatter = II->getIntrinsicID() == Intrinsic::masked_scatter;
  for (unsigned L = 0; L < Lanes; ++L) {
    Value *Lane = Scatter ? IRB.CreateExtractElement(Base, L)
                          : IRB.CreateConstGEP1_64(Elem, Base, L);
    Value *Bytes = IRB.CreateSelect(IRB.CreateExtractElement(Mask, L),
                                    ConstantInt::get(IntPtrTy, ElemBytes),
                                    ConstantInt::get(IntPtrTy, 0));
    IRB.CreateCall(RT.__akeso_write_range, {Lane, Bytes});
  }
  ++NumVectorLaneWrites;
}

// Where code that must follow CB goes, or null if there is no such place
// (an invoke whose normal destination has other predecessors; a musttail
// call, which must be followed by its return).
Instruction *Instrumenter::pointAfter(CallBase *CB) {
  if (auto *Invoke = dyn_cast<InvokeInst>(CB)) {
    BasicBlock *Normal = Invoke->getNormalDest();
    return Normal->getSinglePredecessor() ? &*Normal->getFirstInsertionPt()
                                          : nullptr;
  }
  if (cast<CallInst>(CB)->isMustTailCall())
    return nullptr;
  return CB->getNextNode();
}

// The function that releases what CB allocates or releases, callable with
// the object alone.  When it also needs an argument of CB (the alignment of
// aligned new/delete), that argument must be a constant, bound in a small
// internal thunk.
Value *Instrumenter::releaseFunction(const CallBase &CB,
                                     const LibcEffect &Effect) {
  LLVMContext &C = M.getContext();
  Type *PtrTy = PointerType::getUnqual(C);
  Type *VoidTy = Type::getVoidTy(C);
  if (Effect.PartnerArg < 0)
    return M
        .getOrInsertFunction(Effect.Partner,
                             FunctionType::get(VoidTy, {PtrTy}, false))
        .getCallee();
  auto *Extra = dyn_cast<ConstantInt>(CB.getArgOperand(Effect.PartnerArg));
  if (!Extra)
    return nullptr;
  std::string Name = (Twine("akeso.release.") + Effect.Partner + "." +
                      Twine(Extra->getZExtValue()))
                         .str();
  if (Function *Existing = M.getFunction(Name))
    return Existing;
  FunctionCallee Partner = M.getOrInsertFunction(
      Effect.Partner,
      FunctionType::get(VoidTy, {PtrTy, Extra->getType()}, false));
  Function *Thunk = Function::Create(FunctionType::get(VoidTy, {PtrTy}, false),
                                     GlobalValue::InternalLinkage, Name, M);
  Thunk->addFnAttr(Attribute::NoUnwind);
  IRBuilder<> IRB(BasicBlock::Create(C, "entry", Thunk));
  IRB.CreateCall(Partner, {Thunk->getArg(0), Extra});
  IRB.CreateRetVoid();
  return Thunk;
}

void Instrumenter::rewriteLibraryCall(CallBase *CB, const LibcEffect &Effect) {
  switch (Effect.Kind) {
  case LibcEffect::Replace:
    CB->setCalledFunction(M.getFunction(Effect.Partner));
    ++NumReplacedCalls;
    return;
  case LibcEffect::Release: {
    Value *Release = releaseFunction(*CB, Effect);
    if (!Release || !isa<CallInst>(CB)) {
      ++NumUntrackedAllocations;
      return;
    }
    IRBuilder<> IRB(CB);
    IRB.CreateCall(RT.__akeso_release, {CB->getArgOperand(0), Release});
    CB->eraseFromParent();
    ++NumDeferredReleases;
    return;
  }
  case LibcEffect::Allocate:
  case LibcEffect::AllocateThroughPointer: {
    Value *Release = releaseFunction(*CB, Effect);
    Instruction *After = pointAfter(CB);
    if (!Release || !After) {
      ++NumUntrackedAllocations;
      return;
    }
    if (Effect.Kind == LibcEffect::AllocateThroughPointer) {
      // The call stores the object's address through its pointer argument.
      IRBuilder<> Before(CB);
      Before.CreateCall(RT.__akeso_write_range,
                        {CB->getArgOperand(Effect.Dest),
                         ConstantInt::get(DL.getIntPtrType(M.getContext()),
                                          DL.getPointerSize())});
    }
    IRBuilder<> IRB(After);
    Value *Object = CB;
    if (Effect.Kind == LibcEffect::AllocateThroughPointer) {
      // Only a successful call (result 0) stored an object.
      Type *PtrTy = PointerType::getUnqual(M.getContext());
      Value *Stored = IRB.CreateLoad(PtrTy, CB->getArgOperand(Effect.Dest));
      Object =
          IRB.CreateSelect(IRB.CreateIsNull(CB), Stored,
                           ConstantPointerNull::get(cast<PointerType>(PtrTy)));
    }
    IRB.CreateCall(RT.__akeso_allocated, {Object, Release});
    ++NumTrackedAllocations;
    return;
  }
  case LibcEffect::Output: {
    IRBuilder<> IRB(CB);
    Constant *What = IRB.CreateGlobalString(
        CB->getCalledFunction()->getName(), "akeso.output.name", 0, &M);
    IRB.CreateCall(RT.__akeso_output, {CB->getArgOperand(Effect.Dest), What});
    ++NumOutputCalls;
    return;
  }
  case LibcEffect::Write:
    return;
  }
}

// inverse(args) becomes __akeso_defer_call(@akeso.deferred.inverse, n,
// args widened to i64): the runtime runs it when the innermost logged
// domain commits, drops it if that domain rolls back, and runs it at once
// outside any logged domain.
void Instrumenter::deferInverseCall(CallInst *CI) {
  Function &Callee = *CI->getCalledFunction();
  Function *Thunk = thunkFor(M, Callee, "akeso.deferred." + Callee.getName());
  IRBuilder<> IRB(CI);
  SmallVector<Value *, 2 + 8> Args = {Thunk, IRB.getInt32(CI->arg_size())};
  for (auto [I, Arg] : enumerate(CI->args()))
    Args.push_back(widenThunkArg(IRB, Arg, Callee, I));
  IRB.CreateCall(RT.__akeso_defer_call, Args);
  CI->eraseFromParent();
  ++NumDeferredInverseCalls;
}

bool Instrumenter::runOnFunction(Function &F) {
  // Wrappers are instrumented too: the optimiser may inline a domain's body
  // into its wrapper.
  if (F.isDeclaration() || F.hasFnAttribute(InstrumentedAttr) ||
      F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation) ||
      F.hasFnAttribute(Attribute::Naked) || F.hasFnAttribute(GeneratedAttr) ||
      F.getName().starts_with("__akeso_") ||
      F.getName().starts_with("akeso.release."))
    return false;
  SmallVector<Access, 32> Accesses;
  SmallVector<CallBase *, 4> LaneWrites;
  SmallVector<std::pair<CallBase *, const LibcEffect *>, 8> LibraryCalls;
  SmallVector<CallInst *, 4> DeferredCalls;
  EscapingAllocas.clear();
  LocalAllocas.clear();
  chooseAccesses(F, Accesses, LaneWrites, LibraryCalls, DeferredCalls);
  // Counted before any block is split, so each count sits at the top of the
  // block its accesses came from.
  MapVector<BasicBlock *, std::pair<uint64_t, uint64_t>> Counts;
  for (const Access &A : Accesses)
    (A.IsWrite ? Counts[A.I->getParent()].second
               : Counts[A.I->getParent()].first)++;
  for (CallBase *CB : LaneWrites)
    Counts[CB->getParent()].second++;
  for (auto &[BB, LoadsAndStores] : Counts)
    emitAccessCounts(M, RT, *BB, LoadsAndStores.first, LoadsAndStores.second);
  for (const Access &A : Accesses)
    instrumentAccess(A);
  for (CallBase *CB : LaneWrites)
    instrumentLaneWrites(CB);
  for (auto &[CB, Effect] : LibraryCalls)
    rewriteLibraryCall(CB, *Effect);
  for (CallInst *CI : DeferredCalls)
    deferInverseCall(CI);
  F.addFnAttr(InstrumentedAttr);
  return true;
}

} // namespace

// The functions the annotation file names as inverses.  A file that does
// not parse names none here: the annotation pass, which runs first in every
// pipeline, reports its problems.
static InverseNames inverseNames() {
  if (!deferInverseCalls())
    return InverseNames();
  std::optional<std::string> Path = annotationFilePath();
  if (!Path)
    return InverseNames();
  Expected<AnnotationFile> File = parseAnnotationFile(*Path);
  if (!File) {
    consumeError(File.takeError());
    return InverseNames();
  }
  return InverseNames(*File);
}

PreservedAnalyses MemoryInstrumentationPass::run(Module &M,
                                                 ModuleAnalysisManager &) {
  Instrumenter I(M, inverseNames());
  bool Changed = false;
  for (Function &F : M)
    Changed |= I.runOnFunction(F);
  if (Changed)
    I.markModule();
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace akeso
