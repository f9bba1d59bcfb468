//===- DomainAnnotation.cpp - annotation file to domain markers -----------===//
//
// The second of akeso's three passes (004 §5.1.1).  It reads the annotation
// file (docs/annotations.md), finds the functions each entry names (exact
// symbol, C++ name or glob) and marks each one as a domain:
//
//   entry:  call void (i32, ptr, ...) @akeso.domain.begin(i32 K, ptr @name,
//                                                         <ty> <error>)
//   ...     call void @akeso.domain.end()   ; before every return
//
// The error value is checked against the function's return type here, where
// the annotation's file:line is known, so a wrong annotation is a
// compile-time error that names the line to fix.  Any error leaves the
// module untouched: nothing is half-annotated.
//
//===----------------------------------------------------------------------===//
#include "DomainAnnotation.h"

#include "AnnotationSource.h"
#include "Diagnostics.h"
#include "RuntimeCallees.h"

#include "akeso/Annotations.h"
#include "akeso/ErrorValueIR.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

using namespace llvm;

#define DEBUG_TYPE "akeso-annotate"

STATISTIC(NumDomainsMarked, "Functions marked as recovery domains");
STATISTIC(NumAlreadyMarked, "Functions that already carried domain markers");

namespace akeso {
namespace {

struct MarkPlan {
  Function *F;
  const DomainAnnotation *Entry;
  Constant *Error; // null for void functions
};

bool hasBeginMarker(const Function &F) {
  const Instruction &First = F.getEntryBlock().front();
  auto *CI = dyn_cast<CallInst>(&First);
  return CI && CI->getCalledFunction() &&
         CI->getCalledFunction()->getName() == DomainBeginMarker;
}

std::string sourceName(const Function &F) {
  std::string Demangled = llvm::demangle(F.getName());
  return Demangled.empty() ? F.getName().str() : Demangled;
}

std::string typeName(Type *T) {
  std::string S;
  raw_string_ostream OS(S);
  T->print(OS);
  return S;
}

// Checks one function against its entry; appends problems to Errors.
std::optional<MarkPlan> planFor(Function &F, const DomainAnnotation &A,
                                const AnnotationFile &File,
                                std::vector<std::string> &Errors) {
  std::string Where = File.location(A.Pos);
  std::string Name = sourceName(F);
  if (A.Kind != DomainKind::Basic) {
    Errors.push_back(Where + ": function '" + Name + "': domain kind '" +
                     domainKindName(A.Kind).str() +
                     "' is not supported yet; only basic domains are "
                     "implemented in this version of akeso");
    return std::nullopt;
  }
  if (F.isVarArg()) {
    Errors.push_back(Where + ": function '" + Name +
                     "' is variadic; a domain wrapper cannot forward its "
                     "arguments, so make a fixed-argument function the domain");
    return std::nullopt;
  }
  if (F.doesNotReturn()) {
    Errors.push_back(Where + ": function '" + Name +
                     "' is declared noreturn; a domain must be able to "
                     "return its error value to its caller");
    return std::nullopt;
  }
  Type *RetTy = F.getReturnType();
  if (!A.Error) {
    if (RetTy->isVoidTy())
      return MarkPlan{&F, &A, nullptr};
    Errors.push_back(Where + ": function '" + Name + "' returns '" +
                     typeName(RetTy) +
                     "'; add an `error:` value for it to return when its "
                     "domain is rolled back");
    return std::nullopt;
  }
  Expected<Constant *> Error = buildErrorConstant(*A.Error, RetTy);
  if (!Error) {
    Errors.push_back(File.location(A.Error->Pos) + ": function '" + Name +
                     "': " + toString(Error.takeError()));
    return std::nullopt;
  }
  // Callers in other translation units rely on the declared promises.
  if ((*Error)->isNullValue() && RetTy->isPointerTy() &&
      (F.hasRetAttribute(Attribute::NonNull) ||
       F.getAttributes().getRetDereferenceableBytes() > 0)) {
    Errors.push_back(File.location(A.Error->Pos) + ": function '" + Name +
                     "' is declared to return a non-null pointer "
                     "(returns_nonnull or a reference); its error value "
                     "cannot be null");
    return std::nullopt;
  }
  return MarkPlan{&F, &A, *Error};
}

void mark(Module &M, const MarkPlan &P) {
  LLVMContext &C = M.getContext();
  Type *PtrTy = PointerType::getUnqual(C);
  FunctionCallee Begin = M.getOrInsertFunction(
      DomainBeginMarker,
      FunctionType::get(Type::getVoidTy(C), {Type::getInt32Ty(C), PtrTy},
                        /*isVarArg=*/true));
  FunctionCallee End = M.getOrInsertFunction(
      DomainEndMarker, FunctionType::get(Type::getVoidTy(C), false));

  Function &F = *P.F;
  IRBuilder<> IRB(&F.getEntryBlock(), F.getEntryBlock().begin());
  Constant *Name =
      IRB.CreateGlobalStringPtr(sourceName(F), "akeso.name." + F.getName());
  SmallVector<Value *, 3> Args = {
      IRB.getInt32(static_cast<unsigned>(P.Entry->Kind)), Name};
  if (P.Error)
    Args.push_back(P.Error);
  IRB.CreateCall(Begin, Args);

  for (BasicBlock &BB : F)
    if (auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator())) {
      Instruction *Before = Ret;
      // A musttail call must stay right before its return.
      if (auto *Prev = dyn_cast_or_null<CallInst>(Ret->getPrevNode()))
        if (Prev->isMustTailCall())
          Before = Prev;
      IRBuilder<>(Before).CreateCall(End);
    }
  ++NumDomainsMarked;
}

} // namespace

PreservedAnalyses DomainAnnotationPass::run(Module &M,
                                            ModuleAnalysisManager &) {
  std::optional<std::string> Path = annotationFilePath();
  if (!Path)
    return PreservedAnalyses::all();
  LLVMContext &C = M.getContext();
  Expected<AnnotationFile> File = parseAnnotationFile(*Path);
  if (!File) {
    emitError(C, toString(File.takeError()));
    return PreservedAnalyses::all();
  }

  std::vector<std::string> Errors;
  std::vector<MarkPlan> Plans;
  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    const DomainAnnotation *A = File->lookup(F.getName());
    if (!A)
      continue;
    if (hasBeginMarker(F) || F.hasFnAttribute(WrapperAttr) ||
        F.getName().ends_with(".akeso.body")) {
      ++NumAlreadyMarked;
      continue;
    }
    if (std::optional<MarkPlan> P = planFor(F, *A, *File, Errors))
      Plans.push_back(*P);
  }
  // An alias has no body of its own to wrap; the function it names does.
  for (GlobalAlias &GA : M.aliases())
    if (const DomainAnnotation *A = File->lookup(GA.getName()))
      if (auto *Target = dyn_cast<Function>(GA.getAliaseeObject()))
        if (!File->lookup(Target->getName()))
          Errors.push_back(
              File->location(A->Pos) + ": function '" + GA.getName().str() +
              "' is an alias of '" + Target->getName().str() + "'; name '" +
              Target->getName().str() + "' in the annotation file instead");
  if (!Errors.empty()) {
    emitErrors(C, Errors);
    return PreservedAnalyses::all();
  }

  // A daemon has many translation units: an entry naming a function this
  // one does not mention at all is only worth a warning.
  std::vector<std::vector<std::string>> NameForms;
  for (const Function &F : M)
    if (!F.isIntrinsic())
      NameForms.push_back(symbolNameForms(F.getName()));
  for (const DomainAnnotation &A : File->Domains) {
    bool Occurs = llvm::any_of(
        NameForms, [&](const auto &Forms) { return A.matchesAnyForm(Forms); });
    if (!Occurs)
      emitWarning(C, File->location(A.Pos) + ": function '" + A.Function +
                         "' does not occur in module '" +
                         M.getModuleIdentifier() + "'");
  }

  for (const MarkPlan &P : Plans)
    mark(M, P);
  return Plans.empty() ? PreservedAnalyses::all() : PreservedAnalyses::none();
}

} // namespace akeso
