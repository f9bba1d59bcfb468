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
//===----------------------------------------------------------------------===//
#include "DomainLowering.h"

#include "Diagnostics.h"
#include "RuntimeCallees.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

using namespace llvm;

#define DEBUG_TYPE "akeso-lower"

STATISTIC(NumWrappers, "Domain wrappers created");

namespace akeso {
namespace {

struct DomainFunction {
  Function *F;
  unsigned Kind;
  Constant *Name;
  Constant *Error; // null for void functions
};

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
      if (Kind->getZExtValue() != 0) {
        Errors.push_back("function '" + F.getName().str() + "': domain kind " +
                         std::to_string(Kind->getZExtValue()) +
                         " is not supported yet; only basic domains (0) are");
        return std::nullopt;
      }
      Type *RetTy = F.getReturnType();
      bool WantsError = !RetTy->isVoidTy();
      unsigned Expected = WantsError ? 3 : 2;
      if (CI->arg_size() != Expected ||
          (WantsError && (CI->getArgOperand(2)->getType() != RetTy ||
                          !isa<Constant>(CI->getArgOperand(2))))) {
        Errors.push_back("function '" + F.getName().str() +
                         "': " + DomainBeginMarker +
                         (WantsError ? " needs a constant error value of the "
                                       "function's return type"
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
      Result = DomainFunction{&F, unsigned(Kind->getZExtValue()),
                              cast<Constant>(CI->getArgOperand(1)),
                              WantsError ? cast<Constant>(CI->getArgOperand(2))
                                         : nullptr};
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
      if (isMarker(I, DomainBeginMarker) || isMarker(I, DomainEndMarker))
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
  BasicBlock *Run = BasicBlock::Create(C, "run", W);
  BasicBlock *Landing = BasicBlock::Create(C, "landing.pad", W);
  IRBuilder<> IRB(Entry);
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
  IRB.CreateCall(RT.__akeso_domain_end);
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
