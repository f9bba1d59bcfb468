//===- FaultInjection.cpp - a fault site at the top of every block --------===//
//
// Random fault injection as in 004 §6.2: "potential fault-injecting code in
// every basic block" that raises a fault every 300,000+rand(0..300,000)
// blocks executed in logged code.  The schedule lives in the runtime; the
// compiled code only counts.  At the top of each block of an instrumented
// function (abi.h, AKESO_THREAD_INJECT_COUNTDOWN_OFFSET):
//
// clang-format off
//   bb:    %s = load ptr, ptr @__akeso_thread         ; PHIs, landingpad before
//          br (%s == null), %cont, %akeso.inject.check
//   akeso.inject.check:
//          %c = load i64, (%s + 8)                     ; inject_countdown
//          br (%c == 0), %cont, %akeso.inject.tick
//   akeso.inject.tick:
//          %n = %c - 1; store i64 %n, (%s + 8)
//          br (%n == 0), %akeso.inject.fire, %cont     ; !prof: unlikely
//   akeso.inject.fire:
//          call void @__akeso_inject(ptr @akeso.inject.site)
//          br %cont
//   cont:  the block's own instructions
// clang-format on
//
// where @akeso.inject.site is a private constant struct akeso_inject_site
// {function name, file, line, block index}, file and line from the first
// instruction of the block that has a location ("" and 0 without -g).  A
// thread without runtime state, or with a countdown of 0 (nothing
// scheduled, or outside the code the schedule covers), pays two loads and
// two branches per block.
//
// It is opt-in (-akeso-inject, default off): without it clang's pipeline
// does not contain these passes at all, and the passes do nothing when
// named explicitly.
//
// Where in the pipeline.  Sites go into the functions akeso-instrument
// instrumented (attribute "akeso-instrumented"), so they count exactly the
// code whose writes are logged, and they are inserted after that pass, at
// the end of the optimisation pipeline: earlier, the optimiser would merge,
// duplicate and hoist them (the blocks counted would be the optimiser's
// guess, not the code that runs), and akeso-instrument would log the
// countdown's own store.  But akeso-instrument splits each block around
// every access it gives an inline fast path (InlineFastPath.cpp), so after
// it a block of the program is five or more blocks, and a site in the
// middle of a fast path would put a runtime entry between a version check
// and the store it guards.  So in clang's pipeline akeso-inject-mark runs
// just before akeso-instrument and puts a marker call,
//   call void @akeso.inject.block(i32 <block index>)
// at the top of every block; akeso-inject then gives a site to each block
// holding a marker (splitting keeps the first part of a block in the
// original block) and removes every marker.  A function without markers
// (opt -passes=akeso-inject on instrumented IR) gets a site in every block.
//
// Not given sites: the runtime's glue (names starting with __akeso_ or
// akeso., functions with "akeso-generated"), naked functions, and the setjmp
// landing pad of a domain wrapper (DomainLowering.cpp): it runs only after
// its domain was rolled back, to return the error value, and a fault there
// would be a fault in the recovery path, which the paper's campaigns do not
// inject.  A block holding a catchswitch has no place for code; a site in a
// Windows EH funclet carries the funclet's operand bundle.  Landing pads
// (landingpad, catchpad, cleanuppad) do get a site, after the pad: they run
// the program's own cleanups.  Functions with sites are marked
// "akeso-inject-sites", so IR that goes through the pipeline twice gets one
// site per block.
//
//===----------------------------------------------------------------------===//
#include "FaultInjection.h"

#include "RuntimeCallees.h"

#include "akeso/abi.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/EHPersonalities.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PatternMatch.h"
#include "llvm/Support/CommandLine.h"

#include <optional>

using namespace llvm;

#define DEBUG_TYPE "akeso-inject"

STATISTIC(NumSites, "Fault-injection sites inserted (one per block)");
STATISTIC(NumFunctions, "Functions given fault-injection sites");
STATISTIC(NumMarkedBlocks, "Blocks marked before instrumentation");
STATISTIC(NumSkippedNoInsertionPoint,
          "Blocks without a fault site: no place for code (catchswitch)");
STATISTIC(NumSkippedLandingPad, "Blocks without a fault site: a domain "
                                "wrapper's setjmp landing pad");
STATISTIC(NumSkippedFunclet, "Blocks without a fault site: in more than one "
                             "EH funclet");

static cl::opt<bool> ClInject(
    "akeso-inject", cl::init(false),
    cl::desc("Compile in fault-injection sites: every block of instrumented "
             "code counts the thread's injection countdown down and calls "
             "__akeso_inject when it reaches 0"),
    cl::Hidden);

namespace akeso {

bool faultInjectionEnabled() { return ClInject; }

namespace {

// The IR-only marker of a block akeso-inject-mark saw; its argument is the
// block's index in its function.  No runtime function has this name.
constexpr const char *BlockMarker = "akeso.inject.block";
// Set by akeso-instrument (MemoryInstrumentation.cpp) on what it instruments.
constexpr const char *InstrumentedAttr = "akeso-instrumented";
// Set on functions that have their sites.
constexpr const char *SitesAttr = "akeso-inject-sites";

// The runtime's glue, and functions no code can be added to.
bool isExcluded(const Function &F) {
  return F.isDeclaration() || F.hasFnAttribute(GeneratedAttr) ||
         F.hasFnAttribute(Attribute::Naked) ||
         F.getName().starts_with("__akeso_") ||
         F.getName().starts_with("akeso.");
}

// Where a block's site (or marker) goes: after its PHIs and EH pad and, in
// the entry block, after the static allocas (split off from the entry block
// they would become dynamic allocations).  end() when no code can go in the
// block (a catchswitch).
BasicBlock::iterator sitePoint(BasicBlock &BB) {
  BasicBlock::iterator IP = BB.getFirstInsertionPt();
  if (IP == BB.end() || !BB.isEntryBlock())
    return IP;
  for (auto It = IP; It != BB.end(); ++It)
    if (auto *AI = dyn_cast<AllocaInst>(&*It); AI && AI->isStaticAlloca())
      IP = std::next(It);
  return IP;
}

// The block index a marker call carries, if I is one.
std::optional<unsigned> markerIndex(const Instruction &I) {
  auto *CI = dyn_cast<CallInst>(&I);
  if (!CI)
    return std::nullopt;
  Function *Callee = CI->getCalledFunction();
  if (!Callee || Callee->getName() != BlockMarker || CI->arg_size() != 1)
    return std::nullopt;
  auto *Index = dyn_cast<ConstantInt>(CI->getArgOperand(0));
  if (!Index)
    return std::nullopt;
  return Index->getZExtValue();
}

// The setjmp landing pads of a domain wrapper (DomainLowering.cpp): the
// successor a nonzero result of a returns_twice call branches to, when
// nothing else reaches it.  After optimisation the landing pad may have been
// merged into a return block other paths share; that block keeps its site.
SmallPtrSet<BasicBlock *, 2> wrapperLandingPads(Function &F) {
  using namespace PatternMatch;
  SmallPtrSet<BasicBlock *, 2> Pads;
  if (!F.hasFnAttribute(WrapperAttr))
    return Pads;
  for (Instruction &I : instructions(F)) {
    auto *CB = dyn_cast<CallBase>(&I);
    if (!CB || !CB->hasFnAttr(Attribute::ReturnsTwice))
      continue;
    for (User *U : CB->users()) {
      ICmpInst::Predicate Pred;
      if (!match(U, m_c_ICmp(Pred, m_Specific(CB), m_Zero())) ||
          !ICmpInst::isEquality(Pred))
        continue;
      for (User *CU : U->users()) {
        auto *Br = dyn_cast<BranchInst>(CU);
        if (!Br || !Br->isConditional() || Br->getCondition() != U)
          continue;
        BasicBlock *Pad = Br->getSuccessor(Pred == ICmpInst::ICMP_NE ? 0 : 1);
        if (Pad->getSinglePredecessor() == Br->getParent())
          Pads.insert(Pad);
      }
    }
  }
  return Pads;
}

// Where a block's site takes its file and line from: the first instruction
// from IP on with a location, preferring one with a line.
DebugLoc blockLocation(BasicBlock &BB, BasicBlock::iterator IP) {
  DebugLoc Any;
  for (auto It = IP; It != BB.end(); ++It) {
    if (isa<DbgInfoIntrinsic>(*It))
      continue;
    const DebugLoc &Loc = It->getDebugLoc();
    if (!Loc)
      continue;
    if (Loc.getLine())
      return Loc;
    if (!Any)
      Any = Loc;
  }
  return Any;
}

class Injector {
public:
  explicit Injector(Module &M)
      : M(M), C(M.getContext()), PtrTy(PointerType::getUnqual(C)),
        I32Ty(Type::getInt32Ty(C)), I64Ty(Type::getInt64Ty(C)),
        SiteTy(StructType::get(C, {PtrTy, PtrTy, I32Ty, I32Ty})) {}

  // Removes F's markers and, if F is instrumented, gives it its sites.
  bool runOnFunction(Function &F);

private:
  void insertSite(BasicBlock &BB, BasicBlock::iterator IP, unsigned Index,
                  ArrayRef<OperandBundleDef> Bundles);
  Constant *siteFor(Function &F, const DebugLoc &Loc, unsigned Index);
  Constant *string(StringMap<Constant *> &Cache, StringRef S,
                   const Twine &Name);
  RuntimeCallees &runtime() {
    if (!RT)
      RT.emplace(M);
    return *RT;
  }

  Module &M;
  LLVMContext &C;
  Type *PtrTy, *I32Ty, *I64Ty;
  StructType *SiteTy;
  // Declared on first use, so a module without sites is left as it was.
  std::optional<RuntimeCallees> RT;
  StringMap<Constant *> FunctionNames, FileNames;
};

Constant *Injector::string(StringMap<Constant *> &Cache, StringRef S,
                           const Twine &Name) {
  Constant *&Str = Cache[S];
  if (!Str) {
    auto *GV = new GlobalVariable(
        M, ArrayType::get(Type::getInt8Ty(C), S.size() + 1), true,
        GlobalValue::PrivateLinkage, ConstantDataArray::getString(C, S), Name);
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    Str = GV;
  }
  return Str;
}

// The site's struct akeso_inject_site.  Its address names the site to the
// runtime, so it is not unnamed_addr.
Constant *Injector::siteFor(Function &F, const DebugLoc &Loc, unsigned Index) {
  StringRef File = Loc ? Loc->getFilename() : StringRef();
  unsigned Line = Loc ? Loc.getLine() : 0;
  Constant *Init = ConstantStruct::get(
      SiteTy, {string(FunctionNames, F.getName(), "akeso.inject.function"),
               string(FileNames, File, "akeso.inject.file"),
               ConstantInt::get(I32Ty, Line), ConstantInt::get(I32Ty, Index)});
  return new GlobalVariable(M, SiteTy, true, GlobalValue::PrivateLinkage, Init,
                            "akeso.inject.site");
}

void Injector::insertSite(BasicBlock &BB, BasicBlock::iterator IP,
                          unsigned Index, ArrayRef<OperandBundleDef> Bundles) {
  Function &F = *BB.getParent();
  RuntimeCallees &RT = runtime();
  DebugLoc Loc = blockLocation(BB, IP);
  Constant *Site = siteFor(F, Loc, Index);

  BasicBlock *Cont = BB.splitBasicBlock(IP, "akeso.inject.cont");
  BB.getTerminator()->eraseFromParent();
  BasicBlock *Check = BasicBlock::Create(C, "akeso.inject.check", &F, Cont);
  BasicBlock *Tick = BasicBlock::Create(C, "akeso.inject.tick", &F, Cont);
  BasicBlock *Fire = BasicBlock::Create(C, "akeso.inject.fire", &F, Cont);

  IRBuilder<> IRB(&BB);
  IRB.SetCurrentDebugLocation(Loc);
  Value *State = IRB.CreateLoad(PtrTy, RT.__akeso_thread, "akeso.inject.state");
  IRB.CreateCondBr(IRB.CreateIsNull(State, "akeso.inject.nostate"), Cont,
                   Check);

  IRB.SetInsertPoint(Check);
  Value *CountdownAddr = IRB.CreateConstInBoundsGEP1_64(
      IRB.getInt8Ty(), State, AKESO_THREAD_INJECT_COUNTDOWN_OFFSET,
      "akeso.inject.addr");
  Value *Countdown =
      IRB.CreateLoad(I64Ty, CountdownAddr, "akeso.inject.countdown");
  IRB.CreateCondBr(
      IRB.CreateICmpEQ(Countdown, IRB.getInt64(0), "akeso.inject.idle"), Cont,
      Tick);

  IRB.SetInsertPoint(Tick);
  Value *Left = IRB.CreateSub(Countdown, IRB.getInt64(1), "akeso.inject.left");
  IRB.CreateStore(Left, CountdownAddr);
  IRB.CreateCondBr(IRB.CreateICmpEQ(Left, IRB.getInt64(0), "akeso.inject.now"),
                   Fire, Cont, MDBuilder(C).createUnlikelyBranchWeights());

  IRB.SetInsertPoint(Fire);
  IRB.CreateCall(RT.__akeso_inject, {Site}, Bundles);
  IRB.CreateBr(Cont);
  ++NumSites;
}

bool Injector::runOnFunction(Function &F) {
  if (F.isDeclaration())
    return false;
  // The blocks akeso-inject-mark saw, with their indices, or every block.
  SmallVector<std::pair<BasicBlock *, unsigned>, 32> Blocks;
  SmallVector<Instruction *, 32> Markers;
  for (Instruction &I : instructions(F))
    if (std::optional<unsigned> Index = markerIndex(I)) {
      Blocks.push_back({I.getParent(), *Index});
      Markers.push_back(&I);
    }
  for (Instruction *I : Markers)
    I->eraseFromParent();
  bool Changed = !Markers.empty();
  if (isExcluded(F) || !F.hasFnAttribute(InstrumentedAttr) ||
      F.hasFnAttribute(SitesAttr))
    return Changed;
  if (Markers.empty())
    for (auto [Index, BB] : enumerate(F))
      Blocks.push_back({&BB, unsigned(Index)});

  SmallPtrSet<BasicBlock *, 2> LandingPads = wrapperLandingPads(F);
  DenseMap<BasicBlock *, ColorVector> Funclets;
  if (F.hasPersonalityFn() &&
      isFuncletEHPersonality(classifyEHPersonality(F.getPersonalityFn())))
    Funclets = colorEHFunclets(F);
  for (auto [BB, Index] : Blocks) {
    if (LandingPads.contains(BB)) {
      ++NumSkippedLandingPad;
      continue;
    }
    BasicBlock::iterator IP = sitePoint(*BB);
    if (IP == BB->end()) {
      ++NumSkippedNoInsertionPoint;
      continue;
    }
    SmallVector<OperandBundleDef, 1> Bundles;
    if (!Funclets.empty()) {
      ColorVector Colors = Funclets.lookup(BB);
      if (Colors.size() != 1) {
        ++NumSkippedFunclet;
        continue;
      }
      Instruction *Pad = Colors.front()->getFirstNonPHI();
      if (Pad->isEHPad())
        Bundles.emplace_back("funclet", Pad);
    }
    insertSite(*BB, IP, Index, Bundles);
  }
  F.addFnAttr(SitesAttr);
  ++NumFunctions;
  return true;
}

} // namespace

PreservedAnalyses FaultSiteMarkingPass::run(Module &M,
                                            ModuleAnalysisManager &) {
  if (!ClInject)
    return PreservedAnalyses::all();
  LLVMContext &C = M.getContext();
  FunctionCallee Marker = M.getOrInsertFunction(
      BlockMarker,
      FunctionType::get(Type::getVoidTy(C), {Type::getInt32Ty(C)}, false));
  cast<Function>(Marker.getCallee())->addFnAttr(Attribute::NoUnwind);
  bool Changed = false;
  for (Function &F : M) {
    if (isExcluded(F) || F.hasFnAttribute(InstrumentedAttr) ||
        F.hasFnAttribute(SitesAttr) ||
        any_of(instructions(F),
               [](Instruction &I) { return markerIndex(I).has_value(); }))
      continue;
    for (auto [Index, BB] : enumerate(F)) {
      BasicBlock::iterator IP = sitePoint(BB);
      if (IP == BB.end()) {
        ++NumSkippedNoInsertionPoint;
        continue;
      }
      CallInst::Create(Marker, {ConstantInt::get(Type::getInt32Ty(C), Index)},
                       "", IP);
      ++NumMarkedBlocks;
      Changed = true;
    }
  }
  if (!Changed) {
    if (auto *Decl = M.getFunction(BlockMarker); Decl && Decl->use_empty())
      Decl->eraseFromParent();
    return PreservedAnalyses::all();
  }
  return PreservedAnalyses::none();
}

PreservedAnalyses FaultInjectionPass::run(Module &M, ModuleAnalysisManager &) {
  if (!ClInject)
    return PreservedAnalyses::all();
  Injector I(M);
  bool Changed = false;
  for (Function &F : M)
    Changed |= I.runOnFunction(F);
  if (Function *Decl = M.getFunction(BlockMarker); Decl && Decl->use_empty()) {
    Decl->eraseFromParent();
    Changed = true;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace akeso
