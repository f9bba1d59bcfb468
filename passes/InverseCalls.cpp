//===- InverseCalls.cpp - the thunk convention of inverses and deferrals --===//
#include "InverseCalls.h"

#include "RuntimeCallees.h"

#include "akeso/abi.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"

using namespace llvm;

static cl::opt<bool> ClDeferInverses(
    "akeso-defer-inverses", cl::init(true),
    cl::desc("Defer calls of functions the annotation file names as an "
             "inverse (a release such as kv_free) until the innermost logged "
             "domain commits"),
    cl::Hidden);

namespace akeso {

bool deferInverseCalls() { return ClDeferInverses; }

static std::string typeName(Type *T) {
  std::string S;
  raw_string_ostream OS(S);
  T->print(OS);
  return S;
}

static bool isThunkArgType(Type *T) {
  return (T->isIntegerTy() && T->getIntegerBitWidth() <= 64) ||
         T->isPointerTy() || T->isFloatTy() || T->isDoubleTy();
}

std::vector<std::string> thunkCalleeProblems(const Function &Callee,
                                             const Twine &What) {
  std::vector<std::string> Problems;
  std::string Name = What.str();
  if (Callee.isVarArg())
    Problems.push_back(Name + " is variadic; it must take a fixed list of "
                              "arguments");
  if (Callee.arg_size() > AKESO_MAX_INVERSE_ARGS)
    Problems.push_back(Name + " takes " + std::to_string(Callee.arg_size()) +
                       " parameters; at most " +
                       std::to_string(AKESO_MAX_INVERSE_ARGS) +
                       " are supported (AKESO_MAX_INVERSE_ARGS)");
  for (const Argument &A : Callee.args()) {
    std::string Which =
        "parameter " + std::to_string(A.getArgNo()) + " of " + Name;
    if (!isThunkArgType(A.getType()))
      Problems.push_back(Which + " has type '" + typeName(A.getType()) +
                         "'; only integers of up to 64 bits, pointers, "
                         "float and double can be passed");
    else if (A.hasByValAttr() || A.hasInAllocaAttr() ||
             A.hasPreallocatedAttr() || A.hasStructRetAttr() ||
             A.hasAttribute(Attribute::ByRef))
      Problems.push_back(Which + " passes an object by value or returns "
                                 "one; only scalars can be passed");
  }
  return Problems;
}

bool inverseArgCompatible(Type *From, Type *To) {
  if (!isThunkArgType(From) || !isThunkArgType(To))
    return false;
  if (From->isIntegerTy() || To->isIntegerTy())
    return From->isIntegerTy() && To->isIntegerTy();
  if (From->isPointerTy() || To->isPointerTy())
    return From->isPointerTy() && To->isPointerTy();
  return From == To;
}

Value *widenThunkArg(IRBuilder<> &IRB, Value *V, const Function &Callee,
                     unsigned ParamNo) {
  Type *I64 = IRB.getInt64Ty();
  Type *T = V->getType();
  if (T->isPointerTy())
    return IRB.CreatePtrToInt(V, I64);
  if (T->isFloatTy())
    return IRB.CreateZExt(IRB.CreateBitCast(V, IRB.getInt32Ty()), I64);
  if (T->isDoubleTy())
    return IRB.CreateBitCast(V, I64);
  assert(T->isIntegerTy() && T->getIntegerBitWidth() <= 64 &&
         "argument type checked by inverseArgCompatible");
  if (Callee.getAttributes().hasParamAttr(ParamNo, Attribute::SExt))
    return IRB.CreateSExt(V, I64);
  return IRB.CreateZExt(V, I64);
}

static Value *narrowThunkArg(IRBuilder<> &IRB, Value *V, Type *To) {
  if (To->isPointerTy())
    return IRB.CreateIntToPtr(V, To);
  if (To->isFloatTy())
    return IRB.CreateBitCast(IRB.CreateTrunc(V, IRB.getInt32Ty()), To);
  if (To->isDoubleTy())
    return IRB.CreateBitCast(V, To);
  return IRB.CreateTrunc(V, To);
}

Function *thunkFor(Module &M, Function &Callee, const Twine &Name) {
  std::string N = Name.str();
  if (Function *Existing = M.getFunction(N))
    return Existing;
  LLVMContext &C = M.getContext();
  Type *PtrTy = PointerType::getUnqual(C);
  Function *Thunk =
      Function::Create(FunctionType::get(Type::getVoidTy(C), {PtrTy}, false),
                       GlobalValue::InternalLinkage, N, M);
  Thunk->addFnAttr(GeneratedAttr);
  if (Callee.doesNotThrow())
    Thunk->addFnAttr(Attribute::NoUnwind);
  Argument *Args = Thunk->getArg(0);
  Args->setName("args");
  IRBuilder<> IRB(BasicBlock::Create(C, "entry", Thunk));
  SmallVector<Value *, AKESO_MAX_INVERSE_ARGS> Values;
  for (Argument &P : Callee.args()) {
    unsigned I = P.getArgNo();
    Value *Slot =
        I ? IRB.CreateConstInBoundsGEP1_64(IRB.getInt64Ty(), Args, I) : Args;
    LoadInst *Raw = IRB.CreateAlignedLoad(IRB.getInt64Ty(), Slot, Align(8),
                                          "arg" + Twine(I));
    Values.push_back(narrowThunkArg(IRB, Raw, P.getType()));
  }
  CallInst *Call = IRB.CreateCall(Callee.getFunctionType(), &Callee, Values);
  Call->setCallingConv(Callee.getCallingConv());
  // ABI attributes (signext, zeroext, inreg, ...) as the callee declares.
  SmallVector<AttributeSet, AKESO_MAX_INVERSE_ARGS> ParamAttrs;
  for (Argument &P : Callee.args())
    ParamAttrs.push_back(Callee.getAttributes().getParamAttrs(P.getArgNo()));
  Call->setAttributes(
      AttributeList::get(C, AttributeSet(), AttributeSet(), ParamAttrs));
  // The thunk is not instrumented: the callee's own, instrumented, body
  // must run rather than a copy inlined here.
  Call->addFnAttr(Attribute::NoInline);
  IRB.CreateRetVoid();
  return Thunk;
}

std::vector<Function *> findInverseCallee(Module &M, StringRef Name) {
  if (Function *F = M.getFunction(Name))
    return {F};
  std::vector<Function *> Found;
  for (Function &F : M)
    if (!F.isIntrinsic() && F.getName().starts_with("_Z") &&
        is_contained(symbolNameForms(F.getName()), Name))
      Found.push_back(&F);
  return Found;
}

InverseNames::InverseNames(const AnnotationFile &File) {
  for (const DomainAnnotation &D : File.Domains)
    if (D.Inverse)
      Names.insert(D.Inverse->Callee);
}

bool InverseNames::namesSymbol(StringRef Symbol) const {
  if (Names.contains(Symbol))
    return true;
  if (Symbol.starts_with("_Z"))
    for (const std::string &Form : symbolNameForms(Symbol))
      if (Names.contains(Form))
        return true;
  return false;
}

bool InverseNames::names(const Function &F) const {
  if (Names.empty() || F.isIntrinsic())
    return false;
  auto [It, New] = Cache.try_emplace(&F, false);
  if (New)
    It->second = namesSymbol(F.getName());
  return It->second;
}

} // namespace akeso
