//===- DomainAnnotation.cpp - annotation file to domain markers -----------===//
//
// The second of akeso's three passes (004 §5.1.1).  It reads the annotation
// file (docs/annotations.md), finds the functions each entry names (exact
// symbol, C++ name or glob) and marks each one as a domain:
//
//   entry:  call void (i32, ptr, ...) @akeso.domain.begin(i32 K, ptr @name,
//                                                         <ty> <error>)
//           call void (ptr, ...) @akeso.domain.inverse(ptr @callee, i32 A...)
//   ...     call void @akeso.domain.end()   ; before every return
//
// Every kind is marked (004 §4.1); an unlogged domain is never rolled back,
// so its begin marker carries no error value.  The inverse marker is there
// for reversible and unlogged domains with an `inverse` (A: -1 for `ret`,
// N for `argN`).
//
// The error value is checked against the function's return type, and the
// inverse against the callee's declaration, here, where the annotation's
// file:line is known, so a wrong annotation is a compile-time error that
// names the line to fix.  Any error leaves the module untouched: nothing is
// half-annotated.
//
// Functions named as an inverse that this module defines are made noinline
// (with -akeso-defer-inverses), so that the instrumentation pass, at the end
// of the pipeline, still sees their calls and defers them.
//
//===----------------------------------------------------------------------===//
#include "DomainAnnotation.h"

#include "AnnotationSource.h"
#include "Diagnostics.h"
#include "InverseCalls.h"
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
STATISTIC(NumInverseMarkers, "Domains given an inverse marker");
STATISTIC(NumInversesOutOfLine, "Inverse functions made noinline so their "
                                "calls can be deferred");

namespace akeso {
namespace {

struct MarkPlan {
  Function *F;
  const DomainAnnotation *Entry;
  Constant *Error;             // null for void functions and unlogged domains
  Function *Inverse = nullptr; // the entry's inverse callee, if any
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

// Checks the entry's inverse against F and the callee's declaration in M;
// returns the callee, or null after appending problems to Errors.
Function *checkInverse(Module &M, Function &F, const DomainAnnotation &A,
                       const AnnotationFile &File,
                       std::vector<std::string> &Errors) {
  const InverseSpec &Spec = *A.Inverse;
  std::string Where =
      File.location(A.Inverse->Pos) + ": function '" + sourceName(F) + "': ";
  std::string Quoted = "'" + Spec.Callee + "'";
  std::vector<Function *> Found = findInverseCallee(M, Spec.Callee);
  if (Found.empty()) {
    Errors.push_back(Where + "inverse " + Quoted +
                     " is not declared in this translation unit; its "
                     "parameter types come from its declaration, and clang "
                     "keeps only the declarations a file uses");
    return nullptr;
  }
  if (Found.size() > 1) {
    std::string Candidates;
    for (Function *C : Found)
      Candidates += (Candidates.empty() ? "" : ", ") + C->getName().str();
    Errors.push_back(Where + "inverse " + Quoted +
                     " names several functions (" + Candidates +
                     "); name one by its symbol");
    return nullptr;
  }
  Function *Callee = Found.front();
  size_t Before = Errors.size();
  for (std::string &P : thunkCalleeProblems(*Callee, "inverse " + Quoted))
    Errors.push_back(Where + P);
  if (Errors.size() != Before)
    return nullptr;
  if (Callee->arg_size() != Spec.Args.size()) {
    Errors.push_back(Where + "inverse " + Quoted + " takes " +
                     std::to_string(Callee->arg_size()) + " argument(s) but '" +
                     Spec.Text + "' passes " +
                     std::to_string(Spec.Args.size()));
    return nullptr;
  }
  for (auto [I, Arg] : enumerate(Spec.Args)) {
    std::string ArgName = Arg.Form == InverseArg::Form::Ret
                              ? std::string("ret")
                              : "arg" + std::to_string(Arg.Index);
    Type *From;
    if (Arg.Form == InverseArg::Form::Ret) {
      From = F.getReturnType();
      if (From->isVoidTy()) {
        Errors.push_back(Where + "'ret' in inverse '" + Spec.Text +
                         "': the function returns void");
        continue;
      }
    } else {
      if (Arg.Index >= F.arg_size()) {
        Errors.push_back(Where + "'" + ArgName + "' in inverse '" + Spec.Text +
                         "': the function has " + std::to_string(F.arg_size()) +
                         " parameter(s)");
        continue;
      }
      From = F.getArg(Arg.Index)->getType();
    }
    Type *To = Callee->getArg(I)->getType();
    if (!inverseArgCompatible(From, To))
      Errors.push_back(Where + "'" + ArgName + "' (type '" + typeName(From) +
                       "') cannot be passed for parameter " +
                       std::to_string(I) + " of inverse " + Quoted +
                       " (type '" + typeName(To) +
                       "'); pass integers for integers, pointers for "
                       "pointers, float for float and double for double");
  }
  return Errors.size() == Before ? Callee : nullptr;
}

// The error value of F's begin marker: null for a void function or an
// unlogged domain, nothing after appending problems to Errors.
std::optional<Constant *> checkErrorValue(Function &F,
                                          const DomainAnnotation &A,
                                          const AnnotationFile &File,
                                          std::vector<std::string> &Errors) {
  std::string Name = sourceName(F);
  Type *RetTy = F.getReturnType();
  if (!A.Error) {
    // The parser rejects an error value on an unlogged domain: a fault
    // there is fatal, so there is nothing to return.
    if (RetTy->isVoidTy() || A.Kind == DomainKind::Unlogged)
      return nullptr;
    Errors.push_back(File.location(A.Pos) + ": function '" + Name +
                     "' returns '" + typeName(RetTy) +
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
  return *Error;
}

// Checks one function against its entry; appends problems to Errors.
std::optional<MarkPlan> planFor(Module &M, Function &F,
                                const DomainAnnotation &A,
                                const AnnotationFile &File,
                                std::vector<std::string> &Errors) {
  std::string Where = File.location(A.Pos);
  std::string Name = sourceName(F);
  bool Unlogged = A.Kind == DomainKind::Unlogged;
  if (F.isVarArg()) {
    Errors.push_back(Where + ": function '" + Name +
                     "' is variadic; a domain wrapper cannot forward its "
                     "arguments, so make a fixed-argument function the domain");
    return std::nullopt;
  }
  if (F.doesNotReturn()) {
    Errors.push_back(Where + ": function '" + Name +
                     "' is declared noreturn; " +
                     (Unlogged ? "a domain must return to its caller to end"
                               : "a domain must be able to return its error "
                                 "value to its caller"));
    return std::nullopt;
  }
  // The error value and the inverse are checked independently, so that
  // both are reported at once.
  std::optional<Constant *> Error = checkErrorValue(F, A, File, Errors);
  Function *Inverse = A.Inverse ? checkInverse(M, F, A, File, Errors) : nullptr;
  if (!Error || (A.Inverse && !Inverse))
    return std::nullopt;
  return MarkPlan{&F, &A, *Error, Inverse};
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
  if (P.Inverse) {
    FunctionCallee InverseMarker = M.getOrInsertFunction(
        DomainInverseMarker,
        FunctionType::get(Type::getVoidTy(C), {PtrTy}, /*isVarArg=*/true));
    SmallVector<Value *, 4> InverseArgs = {P.Inverse};
    for (const InverseArg &A : P.Entry->Inverse->Args)
      InverseArgs.push_back(IRB.getInt32(
          A.Form == InverseArg::Form::Ret ? InverseArgRet : int(A.Index)));
    IRB.CreateCall(InverseMarker, InverseArgs);
    ++NumInverseMarkers;
  }

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
    if (std::optional<MarkPlan> P = planFor(M, F, *A, *File, Errors))
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

  // An inverse inlined into its callers before the instrumentation pass
  // runs could not be deferred there.
  bool OutOfLine = false;
  if (deferInverseCalls()) {
    InverseNames Inverses(*File);
    for (Function &F : M)
      if (!F.isDeclaration() && !F.hasFnAttribute(Attribute::NoInline) &&
          Inverses.names(F)) {
        F.removeFnAttr(Attribute::AlwaysInline);
        F.addFnAttr(Attribute::NoInline);
        ++NumInversesOutOfLine;
        OutOfLine = true;
      }
  }
  return Plans.empty() && !OutOfLine ? PreservedAnalyses::all()
                                     : PreservedAnalyses::none();
}

} // namespace akeso
