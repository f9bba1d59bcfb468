//===- InverseCalls.h - calls the runtime makes later, through a thunk ----===//
//
// Two ABI entry points take a call to make later: __akeso_domain_end_inverse
// (the inverse of a reversible or unlogged domain, logged as an undo action
// of the enclosing domain, 004 §4.1.2) and __akeso_defer_call (a call of an
// inverse made in the program, run when the innermost logged domain
// commits).  Both take `ptr thunk, i32 nargs, i64 args...`: each argument
// widened to 64 bits, and an internal `void thunk(ptr args)` that loads
// them back from an array of nargs i64, narrows each to the callee's
// parameter type and calls the callee.  This file holds that convention
// for the lowering pass (inverses) and the instrumentation pass (deferred
// calls), so the two cannot disagree.
//
// Widening, per parameter of the callee:
//   integer (at most 64 bits)  sext if the callee's parameter is signext,
//                              otherwise zext; the thunk truncates
//   pointer                    ptrtoint / inttoptr
//   float                      its 32 bits (bitcast to i32), zero-extended
//   double                     its 64 bits (bitcast to i64)
// Any other parameter type (i128, long double, a struct passed by value,
// byval/inalloca/preallocated pointers) cannot go through the array; nor
// can more than AKESO_MAX_INVERSE_ARGS arguments or a variadic callee.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_PASSES_INVERSECALLS_H
#define AKESO_PASSES_INVERSECALLS_H

#include "akeso/Annotations.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

#include <optional>
#include <string>
#include <vector>

namespace akeso {

// -akeso-defer-inverses: whether calls of functions named as an inverse are
// deferred (and those functions kept out of line so the calls survive until
// the instrumentation pass sees them).
bool deferInverseCalls();

// What stops `Callee` from being called through a thunk, one line per
// problem (parameter types, arity, variadic), each naming the callee as
// `What` ("inverse 'kv_free'"); empty if nothing does.
std::vector<std::string> thunkCalleeProblems(const llvm::Function &Callee,
                                             const llvm::Twine &What);

// Whether a value of type `From` can be passed for a parameter of type `To`
// through the array: both integers (any widths up to 64 bits: widened and
// truncated), both pointers, or the same floating type.
bool inverseArgCompatible(llvm::Type *From, llvm::Type *To);

// `V` widened to i64 for parameter `ParamNo` of `Callee` (the rules above).
llvm::Value *widenThunkArg(llvm::IRBuilder<> &IRB, llvm::Value *V,
                           const llvm::Function &Callee, unsigned ParamNo);

// The internal function `void Name(ptr %args)` calling `Callee` with
// args[0..n-1] narrowed to its parameter types; created once per name.
// It is marked GeneratedAttr (never instrumented) and its call of Callee is
// noinline, so the callee's own instrumented code runs.
llvm::Function *thunkFor(llvm::Module &M, llvm::Function &Callee,
                         const llvm::Twine &Name);

// The function of M an inverse's `callee` names: its exact symbol or,
// failing that, the one function whose C++ name without parameters is
// `Name` (so `kv_free` finds `_Z7kv_freePv`).  Nothing if there is none;
// every candidate if there are several (the caller reports the ambiguity).
std::vector<llvm::Function *> findInverseCallee(llvm::Module &M,
                                                llvm::StringRef Name);

// The callees named by the `inverse` of any entry of an annotation file,
// and whether a function is one of them (by symbol or, for C++, by its name
// without parameters).
class InverseNames {
public:
  InverseNames() = default;
  explicit InverseNames(const AnnotationFile &File);
  bool empty() const { return Names.empty(); }
  bool names(const llvm::Function &F) const;
  bool namesSymbol(llvm::StringRef Symbol) const;

private:
  llvm::StringSet<> Names;
  mutable llvm::DenseMap<const llvm::Function *, bool> Cache;
};

} // namespace akeso

#endif
