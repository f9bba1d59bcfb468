//===- DomainLowering.cpp - domain markers to a wrapper and landing pad ---===//
//
// The third of akeso's three passes (004 §5.1.1, Figure 1).  A function F
// that starts with an akeso.domain.begin marker becomes two functions:
//
//   F.akeso.body   the original body, internal, markers removed
//   F              a wrapper with F's name, signature and attributes, so
//                  callers and function pointers need no change:
//
//     %pad = call ptr @__akeso_domain_begin(i32 kind, ptr @descriptor)
//     %r   = call i32 @_setjmp(ptr %pad)        ; returns_twice
//     br (%r != 0), %landing.pad, %run
//   run:          %v = call @F.akeso.body(args); call @__akeso_domain_end()
//                 ret %v
//   landing.pad:  ret <error value>              ; state already rolled back
//
// The runtime restores memory before it jumps, so the landing pad only
// returns the declared error.  A body that may unwind is invoked, and an
// exception leaving it ends the domain like a return does.  The wrapper
// calls setjmp, which the inliner refuses to inline, so the domain keeps its
// own frame at every optimisation level.
//
// Every kind (004 §4.1) gets this shape, with its kind passed to
// __akeso_domain_begin, which decides what completion means; reversible and
// transparent domains roll back exactly like basic ones.  An unlogged domain
// is never rolled back (a fault inside it is fatal), so its wrapper has no
// setjmp and no landing pad, and the jmp_buf begin returns is unused:
//
//     call ptr @__akeso_domain_begin(i32 3, ptr @descriptor)
//     %v = call @F.akeso.body(args); call @__akeso_domain_end(); ret %v
//
// A reversible or unlogged domain with an inverse (akeso.domain.inverse
// marker) ends on its success path with
//
//     call void (ptr, i32, ...) @__akeso_domain_end_inverse(
//         ptr @akeso.inverse.F, i32 n, i64 a0, ..., i64 a(n-1))
//
// instead, each ai the body's return value or one of the wrapper's
// parameters widened to 64 bits, and @akeso.inverse.F a thunk that calls
// the inverse with them (InverseCalls.h).  An exception leaving the body
// ends the domain without logging the inverse: the function did not
// complete.
//
//===----------------------------------------------------------------------===//
#include "DomainLowering.h"

#include "Diagnostics.h"
#include "InverseCalls.h"
#include "RuntimeCallees.h"

#include "akeso/abi.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

using namespace llvm;

#define DEBUG_TYPE "akeso-lower"

STATISTIC(NumWrappers, "Domain wrappers created");
STATISTIC(NumUnloggedWrappers, "Wrappers of unlogged domains (no landing "
                               "pad)");
STATISTIC(NumInverseThunks, "Domains ending with their inverse logged");

namespace akeso {
namespace {

constexpr unsigned UnloggedKind = 3; // akeso_domain_kind AKESO_UNLOGGED
constexpr unsigned ReversibleKind = 1;

struct DomainFunction {
  Function *F = nullptr;
  unsigned Kind = 0;
  Constant *Name = nullptr;
  Constant *Error = nullptr; // null for void functions and unlogged domains
  // The akeso.domain.inverse marker, if any.  Its callee is read when the
  // wrapper is built: lowering an earlier domain may have given it a new
  // wrapper (an inverse that is itself a domain).
  CallInst *InverseMarker = nullptr;
  SmallVector<int, 4> InverseArgs; // InverseArgRet or a parameter number
};

// Checks an akeso.domain.inverse marker against F; fills D or appends a
// problem to Errors.
bool analyzeInverse(CallInst &Marker, Function &F, DomainFunction &D,
                    std::vector<std::string> &Errors) {
  std::string Where = "function '" + F.getName().str() + "': ";
  if (D.Kind != ReversibleKind && D.Kind != UnloggedKind) {
    Errors.push_back(Where + DomainInverseMarker +
                     " is only allowed on reversible (1) and unlogged (3) "
                     "domains");
    return false;
  }
  auto *Callee = Marker.arg_size() >= 1
                     ? dyn_cast<Function>(Marker.getArgOperand(0))
                     : nullptr;
  if (!Callee) {
    Errors.push_back(Where + DomainInverseMarker +
                     " takes a function and one i32 per argument");
    return false;
  }
  std::vector<std::string> Problems =
      thunkCalleeProblems(*Callee, "inverse '" + Callee->getName() + "'");
  if (!Problems.empty()) {
    Errors.push_back(Where + Problems.front());
    return false;
  }
  if (Marker.arg_size() - 1 != Callee->arg_size()) {
    Errors.push_back(Where + "inverse '" + Callee->getName().str() +
                     "' takes " + std::to_string(Callee->arg_size()) +
                     " argument(s); " + DomainInverseMarker + " gives " +
                     std::to_string(Marker.arg_size() - 1));
    return false;
  }
  for (unsigned I = 1; I < Marker.arg_size(); ++I) {
    auto *Which = dyn_cast<ConstantInt>(Marker.getArgOperand(I));
    int64_t N =
        Which && Which->getType()->isIntegerTy(32) ? Which->getSExtValue() : -2;
    Type *From = nullptr;
    if (N == InverseArgRet && !F.getReturnType()->isVoidTy())
      From = F.getReturnType();
    else if (N >= 0 && uint64_t(N) < F.arg_size())
      From = F.getArg(N)->getType();
    if (!From) {
      Errors.push_back(Where + DomainInverseMarker + " argument " +
                       std::to_string(I) +
                       " must be i32 -1 (the return value of a non-void "
                       "function) or the number of a parameter");
      return false;
    }
    if (!inverseArgCompatible(From, Callee->getArg(I - 1)->getType())) {
      Errors.push_back(Where + "argument " + std::to_string(I - 1) +
                       " of inverse '" + Callee->getName().str() +
                       "' has a type its parameter cannot take");
      return false;
    }
    D.InverseArgs.push_back(int(N));
  }
  D.InverseMarker = &Marker;
  return true;
}

bool isMarker(const Instruction &I, StringRef Name) {
  auto *CI = dyn_cast<CallInst>(&I);
  return CI && CI->getCalledFunction() &&
         CI->getCalledFunction()->getName() == Name;
}

// Finds and checks the markers of F; appends problems to Errors.
std::optional<DomainFunction> analyze(Function &F,
                                      std::vector<std::string> &Errors) {
  std::optional<DomainFunction> Result;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (isMarker(I, DomainInverseMarker)) {
        const Instruction &First = F.getEntryBlock().front();
        if (I.getPrevNode() != &First || !isMarker(First, DomainBeginMarker)) {
          Errors.push_back("function '" + F.getName().str() +
                           "': " + DomainInverseMarker +
                           " must follow akeso.domain.begin at once");
          return std::nullopt;
        }
        continue;
      }
      if (!isMarker(I, DomainBeginMarker))
        continue;
      if (&I != &F.getEntryBlock().front()) {
        Errors.push_back("function '" + F.getName().str() +
                         "': " + DomainBeginMarker +
                         " must be the first instruction of the function");
        return std::nullopt;
      }
      auto *CI = cast<CallInst>(&I);
      auto *Kind = CI->arg_size() >= 2
                       ? dyn_cast<ConstantInt>(CI->getArgOperand(0))
                       : nullptr;
      if (!Kind || Kind->getZExtValue() > 3 ||
          !isa<Constant>(CI->getArgOperand(1))) {
        Errors.push_back("function '" + F.getName().str() +
                         "': " + DomainBeginMarker +
                         " takes a constant kind (0-3) and a name constant");
        return std::nullopt;
      }
      Type *RetTy = F.getReturnType();
      bool Unlogged = Kind->getZExtValue() == UnloggedKind;
      bool WantsError = !RetTy->isVoidTy() && !Unlogged;
      unsigned Expected = WantsError ? 3 : 2;
      if (CI->arg_size() != Expected ||
          (WantsError && (CI->getArgOperand(2)->getType() != RetTy ||
                          !isa<Constant>(CI->getArgOperand(2))))) {
        Errors.push_back("function '" + F.getName().str() +
                         "': " + DomainBeginMarker +
                         (WantsError ? " needs a constant error value of the "
                                       "function's return type"
                          : Unlogged ? " of an unlogged domain takes no error "
                                       "value (it is never rolled back)"
                                     : " of a void function takes no error "
                                       "value"));
        return std::nullopt;
      }
      if (F.isVarArg()) {
        Errors.push_back("function '" + F.getName().str() +
                         "' is variadic; a domain wrapper cannot forward its "
                         "arguments");
        return std::nullopt;
      }
      Result.emplace();
      Result->F = &F;
      Result->Kind = unsigned(Kind->getZExtValue());
      Result->Name = cast<Constant>(CI->getArgOperand(1));
      Result->Error =
          WantsError ? cast<Constant>(CI->getArgOperand(2)) : nullptr;
      if (auto *Next = dyn_cast_or_null<CallInst>(CI->getNextNode());
          Next && isMarker(*Next, DomainInverseMarker) &&
          !analyzeInverse(*Next, F, *Result, Errors))
        return std::nullopt;
    }
  return Result;
}

Constant *descriptorFor(Module &M, const DomainFunction &D) {
  LLVMContext &C = M.getContext();
  Type *PtrTy = PointerType::getUnqual(C);
  Type *I32Ty = Type::getInt32Ty(C);
  StructType *DescTy = StructType::get(C, {PtrTy, PtrTy, I32Ty, I32Ty});
  std::string File;
  unsigned Line = 0;
  if (DISubprogram *SP = D.F->getSubprogram()) {
    File = SP->getFilename().str();
    Line = SP->getLine();
  }
  auto *FileStr =
      new GlobalVariable(M, ArrayType::get(Type::getInt8Ty(C), File.size() + 1),
                         true, GlobalValue::PrivateLinkage,
                         ConstantDataArray::getString(C, File), "akeso.file");
  FileStr->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  Constant *Init = ConstantStruct::get(
      DescTy, {D.Name, FileStr, ConstantInt::get(I32Ty, Line),
               ConstantInt::get(I32Ty, D.Kind)});
  auto *Desc = new GlobalVariable(M, DescTy, true, GlobalValue::PrivateLinkage,
                                  Init, "akeso.domain." + D.F->getName());
  return Desc;
}

void stripMarkers(Function &F) {
  SmallVector<Instruction *, 8> Dead;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (isMarker(I, DomainBeginMarker) || isMarker(I, DomainEndMarker) ||
          isMarker(I, DomainInverseMarker))
        Dead.push_back(&I);
  for (Instruction *I : Dead)
    I->eraseFromParent();
}

// glibc's setjmp without the signal mask: a landing pad restores registers
// and stack, and a domain does not own the thread's signal mask.
FunctionCallee declareSetJmp(Module &M) {
  LLVMContext &C = M.getContext();
  FunctionCallee SetJmp = M.getOrInsertFunction(
      "_setjmp", FunctionType::get(Type::getInt32Ty(C),
                                   {PointerType::getUnqual(C)}, false));
  if (auto *SJ = dyn_cast<Function>(SetJmp.getCallee())) {
    SJ->addFnAttr(Attribute::ReturnsTwice);
    SJ->addFnAttr(Attribute::NoUnwind);
  }
  return SetJmp;
}

void lower(Module &M, const RuntimeCallees &RT, FunctionCallee SetJmp,
           const DomainFunction &D) {
  LLVMContext &C = M.getContext();
  Function &Body = *D.F;
  Constant *Desc = descriptorFor(M, D);
  Function *Inverse = D.InverseMarker
                          ? cast<Function>(D.InverseMarker->getArgOperand(0))
                          : nullptr;
  stripMarkers(Body);

  // The wrapper takes over the name and every use of the original.
  Function *W = Function::Create(Body.getFunctionType(), Body.getLinkage(),
                                 Body.getAddressSpace(), "", &M);
  W->takeName(&Body);
  W->copyAttributesFrom(&Body);
  // Type metadata (CFI, KCFI) belongs to the symbol callers reach; debug
  // info stays with the body, a DISubprogram describes one function.
  SmallVector<std::pair<unsigned, MDNode *>, 4> Metadata;
  Body.getAllMetadata(Metadata);
  for (auto &[Kind, Node] : Metadata)
    if (Kind != LLVMContext::MD_dbg)
      W->setMetadata(Kind, Node);
  // An inline function of C++ (linkonce_odr) is emitted in several objects
  // and its comdat is kept from one of them: wrapper and body go together.
  W->setComdat(Body.getComdat());
  // Block addresses name the body's blocks, which stay in the body.
  Body.replaceUsesWithIf(
      W, [](Use &U) { return !isa<BlockAddress>(U.getUser()); });
  Body.setName(W->getName() + ".akeso.body");
  Body.setLinkage(GlobalValue::InternalLinkage);
  Body.setVisibility(GlobalValue::DefaultVisibility);
  Body.setDLLStorageClass(GlobalValue::DefaultStorageClass);

  // The wrapper does more than the body: drop attributes that describe only
  // the body's effects, and keep it out of callers (it holds the landing pad).
  for (Attribute::AttrKind K :
       {Attribute::AlwaysInline, Attribute::InlineHint, Attribute::Memory,
        Attribute::NoSync, Attribute::NoFree, Attribute::Speculatable,
        Attribute::WillReturn, Attribute::OptimizeNone, Attribute::NoReturn})
    W->removeFnAttr(K);
  W->addFnAttr(Attribute::NoInline);
  W->addFnAttr(WrapperAttr);
  // The landing pad returns the error value, which promises none of what
  // the body's return value did.
  for (Attribute::AttrKind K :
       {Attribute::NonNull, Attribute::Dereferenceable,
        Attribute::DereferenceableOrNull, Attribute::Alignment,
        Attribute::Range, Attribute::NoFPClass, Attribute::NoAlias})
    W->removeRetAttr(K);
  for (Argument &A : W->args())
    W->removeParamAttr(A.getArgNo(), Attribute::Returned);
  for (Argument &A : Body.args())
    W->getArg(A.getArgNo())->setName(A.getName());

  Type *PtrTy = PointerType::getUnqual(C);

  BasicBlock *Entry = BasicBlock::Create(C, "entry", W);
  IRBuilder<> IRB(Entry);
  if (D.Kind == UnloggedKind) {
    // Never rolled back: no landing pad, and the jmp_buf goes unused.
    IRB.CreateCall(RT.__akeso_domain_begin, {IRB.getInt32(D.Kind), Desc});
    ++NumUnloggedWrappers;
  } else {
    BasicBlock *Run = BasicBlock::Create(C, "run", W);
    BasicBlock *Landing = BasicBlock::Create(C, "landing.pad", W);
    Value *Pad = IRB.CreateCall(RT.__akeso_domain_begin,
                                {IRB.getInt32(D.Kind), Desc}, "pad");
    CallInst *Jumped = IRB.CreateCall(SetJmp, {Pad}, "landed");
    Jumped->addFnAttr(Attribute::ReturnsTwice);
    IRB.CreateCondBr(IRB.CreateICmpNE(Jumped, IRB.getInt32(0)), Landing, Run);

    IRB.SetInsertPoint(Landing);
    if (D.Error)
      IRB.CreateRet(D.Error);
    else
      IRB.CreateRetVoid();

    IRB.SetInsertPoint(Run);
  }
  SmallVector<Value *, 8> Args;
  for (Argument &A : W->args())
    Args.push_back(&A);
  CallBase *Call;
  if (Body.doesNotThrow()) {
    Call = IRB.CreateCall(&Body, Args);
  } else {
    // An exception leaving the body ends the domain on its way out.
    BasicBlock *Done = BasicBlock::Create(C, "done", W);
    BasicBlock *Unwind = BasicBlock::Create(C, "unwind", W);
    Call = IRB.CreateInvoke(&Body, Done, Unwind, Args);
    // The landing pad only cleans up, which GCC's C personality does for
    // C and C++ alike (libgcc), so a body without a personality of its own
    // does not pull the C++ runtime into a C program built -fexceptions.
    if (!W->hasPersonalityFn())
      W->setPersonalityFn(cast<Constant>(
          M.getOrInsertFunction("__gcc_personality_v0",
                                FunctionType::get(Type::getInt32Ty(C), true))
              .getCallee()));
    IRB.SetInsertPoint(Unwind);
    LandingPadInst *LP =
        IRB.CreateLandingPad(StructType::get(PtrTy, Type::getInt32Ty(C)), 0);
    LP->setCleanup(true);
    IRB.CreateCall(RT.__akeso_domain_end);
    IRB.CreateResume(LP);
    IRB.SetInsertPoint(Done);
  }
  Call->setCallingConv(Body.getCallingConv());
  // Parameter attributes (byval, sret, ...) must match the callee's.
  SmallVector<AttributeSet, 8> ParamAttrs;
  for (Argument &A : Body.args())
    ParamAttrs.push_back(Body.getAttributes().getParamAttrs(A.getArgNo()));
  Call->setAttributes(
      AttributeList::get(C, AttributeSet(), AttributeSet(), ParamAttrs));
  if (Inverse) {
    // Completed: log the inverse with the enclosing domain (004 Figure 1's
    // rec_log_undo(kfree, result)).
    Function *Thunk = thunkFor(M, *Inverse, "akeso.inverse." + W->getName());
    SmallVector<Value *, 2 + AKESO_MAX_INVERSE_ARGS> EndArgs = {
        Thunk, IRB.getInt32(D.InverseArgs.size())};
    for (auto [I, Which] : enumerate(D.InverseArgs))
      EndArgs.push_back(widenThunkArg(
          IRB, Which == InverseArgRet ? cast<Value>(Call) : W->getArg(Which),
          *Inverse, I));
    IRB.CreateCall(RT.__akeso_domain_end_inverse, EndArgs);
    ++NumInverseThunks;
  } else {
    IRB.CreateCall(RT.__akeso_domain_end);
  }
  if (W->getReturnType()->isVoidTy())
    IRB.CreateRetVoid();
  else
    IRB.CreateRet(Call);
  ++NumWrappers;
}

} // namespace

PreservedAnalyses DomainLoweringPass::run(Module &M, ModuleAnalysisManager &) {
  std::vector<std::string> Errors;
  std::vector<DomainFunction> Domains;
  for (Function &F : M)
    if (!F.isDeclaration())
      if (std::optional<DomainFunction> D = analyze(F, Errors))
        Domains.push_back(*D);
  if (!Errors.empty()) {
    emitErrors(M.getContext(), Errors);
    return PreservedAnalyses::all();
  }
  if (Domains.empty())
    return PreservedAnalyses::all();
  RuntimeCallees RT(M);
  FunctionCallee SetJmp = declareSetJmp(M);
  for (const DomainFunction &D : Domains)
    lower(M, RT, SetJmp, D);
  return PreservedAnalyses::none();
}

} // namespace akeso
