//===- RuntimeCallees.h - the runtime functions the passes call ----------===//
//
// All runtime callees are declared here, from include/akeso/abi.def, the
// list the runtime itself is compiled against; a pass never spells a
// runtime function name or signature on its own.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_PASSES_RUNTIMECALLEES_H
#define AKESO_PASSES_RUNTIMECALLEES_H

#include "llvm/IR/Module.h"

namespace akeso {

struct RuntimeCallees {
  explicit RuntimeCallees(llvm::Module &M);

#define AKESO_ABI(name, ret, ...) llvm::FunctionCallee name;
#define AKESO_ABI_TLS(name) llvm::GlobalVariable *name;
#define AKESO_ABI_GLOBAL(name) llvm::GlobalVariable *name;
#define AKESO_ABI_MARKER(name) static constexpr const char *name##_name = #name;
#include "akeso/abi.def"
#undef AKESO_ABI

  // The read or write hook for an access of Bytes bytes, if there is a
  // fixed-size one; otherwise the caller uses the _range hook.
  llvm::FunctionCallee fixedSizeHook(bool IsWrite, uint64_t Bytes) const;

  // Makes this module define the __akeso_instrumented marker.
  void defineInstrumentedMarker(llvm::Module &M) const;
};

// The low-level domain markers (004 §5.1.1: "domain_begin and domain_end")
// that the annotation pass emits and the lowering pass consumes:
//   call void (i32, ptr, ...) @akeso.domain.begin(i32 kind, ptr name
//                                                 [, <ret type> error])
//   call void (ptr, ...) @akeso.domain.inverse(ptr @callee, i32 arg...)
//   call void @akeso.domain.end()
// begin is the first instruction of a domain function; its error operand
// is there exactly when the function returns a value and the domain is
// not unlogged (an unlogged domain is never rolled back).  inverse, for a
// reversible or unlogged domain that has one, follows begin at once: each
// i32 names what the wrapper passes, -1 its return value, N its parameter
// N.  end precedes each return.  They are IR-only: no runtime function has
// these names.
inline constexpr const char *DomainBeginMarker = "akeso.domain.begin";
inline constexpr const char *DomainInverseMarker = "akeso.domain.inverse";
inline constexpr const char *DomainEndMarker = "akeso.domain.end";
// The i32 of akeso.domain.inverse that stands for the return value.
inline constexpr int InverseArgRet = -1;

// A function attribute marking the wrappers the lowering pass creates, so
// tests and tools can tell them from the user's functions.
inline constexpr const char *WrapperAttr = "akeso-domain-wrapper";

// A function attribute marking glue the passes generate for the runtime to
// call (inverse and deferred-call thunks, release thunks): it is never
// instrumented, and calls in it are never deferred.
inline constexpr const char *GeneratedAttr = "akeso-generated";

} // namespace akeso

#endif
