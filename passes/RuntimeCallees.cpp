//===- RuntimeCallees.cpp - declaring abi.def in a module -----------------===//
#include "RuntimeCallees.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"

using namespace llvm;

namespace akeso {

RuntimeCallees::RuntimeCallees(Module &M) {
  LLVMContext &C = M.getContext();
  Type *VoidTy = Type::getVoidTy(C);
  Type *PtrTy = PointerType::getUnqual(C);
  Type *SizeTy = M.getDataLayout().getIntPtrType(C);
  Type *I32Ty = Type::getInt32Ty(C);
  auto TypeOf = [&](const char *Name) -> Type * {
    StringRef N(Name);
    if (N == "void")
      return VoidTy;
    if (N == "ptr")
      return PtrTy;
    if (N == "size")
      return SizeTy;
    return I32Ty;
  };
  auto Declare = [&](const char *Name, const char *Ret,
                     std::initializer_list<const char *> Params) {
    SmallVector<Type *, 4> ParamTys;
    bool VarArgs = false;
    for (const char *P : Params) {
      if (StringRef(P) == "varargs")
        VarArgs = true;
      else
        ParamTys.push_back(TypeOf(P));
    }
    FunctionCallee Callee = M.getOrInsertFunction(
        Name, FunctionType::get(TypeOf(Ret), ParamTys, VarArgs));
    if (auto *F = dyn_cast<Function>(Callee.getCallee()))
      F->addFnAttr(Attribute::NoUnwind);
    return Callee;
  };
  auto DeclareVariable = [&](const char *Name, bool ThreadLocal) {
    auto *GV = cast<GlobalVariable>(M.getOrInsertGlobal(Name, PtrTy));
    if (ThreadLocal)
      GV->setThreadLocalMode(GlobalValue::InitialExecTLSModel);
    return GV;
  };
#define AKESO_ABI_TLS(name) name = DeclareVariable(#name, true);
#define AKESO_ABI_GLOBAL(name) name = DeclareVariable(#name, false);
#define AKESO_ABI(name, ret, ...)                                              \
  name = Declare(#name, #ret, {__VA_OPT__(AKESO_STRINGS(__VA_ARGS__))});
#define AKESO_STRINGS(...)                                                     \
  AKESO_STRINGS_N(__VA_ARGS__, AKESO_STRINGS_6, AKESO_STRINGS_5,               \
                  AKESO_STRINGS_4, AKESO_STRINGS_3, AKESO_STRINGS_2,            \
                  AKESO_STRINGS_1)                                              \
  (__VA_ARGS__)
#define AKESO_STRINGS_N(_1, _2, _3, _4, _5, _6, N, ...) N
#define AKESO_STRINGS_1(a) #a
#define AKESO_STRINGS_2(a, b) #a, #b
#define AKESO_STRINGS_3(a, b, c) #a, #b, #c
#define AKESO_STRINGS_4(a, b, c, d) #a, #b, #c, #d
#define AKESO_STRINGS_5(a, b, c, d, e) #a, #b, #c, #d, #e
#define AKESO_STRINGS_6(a, b, c, d, e, f) #a, #b, #c, #d, #e, #f
#include "akeso/abi.def"
#undef AKESO_ABI
}

void RuntimeCallees::defineInstrumentedMarker(Module &M) const {
  auto *Marker = cast<GlobalVariable>(
      M.getOrInsertGlobal(__akeso_instrumented_name, Type::getInt8Ty(M.getContext())));
  if (!Marker->isDeclaration())
    return;
  // Weak: every instrumented module defines it, the linker keeps one.
  Marker->setLinkage(GlobalValue::WeakAnyLinkage);
  Marker->setInitializer(ConstantInt::get(Type::getInt8Ty(M.getContext()), 1));
}

FunctionCallee RuntimeCallees::fixedSizeHook(bool IsWrite,
                                             uint64_t Bytes) const {
  switch (Bytes) {
  case 1:
    return IsWrite ? __akeso_write_1 : __akeso_read_1;
  case 2:
    return IsWrite ? __akeso_write_2 : __akeso_read_2;
  case 4:
    return IsWrite ? __akeso_write_4 : __akeso_read_4;
  case 8:
    return IsWrite ? __akeso_write_8 : __akeso_read_8;
  case 16:
    return IsWrite ? __akeso_write_16 : __akeso_read_16;
  default:
    return FunctionCallee();
  }
}

} // namespace akeso
