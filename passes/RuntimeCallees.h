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
#include "akeso/abi.def"
#undef AKESO_ABI

  // The read or write hook for an access of Bytes bytes, if there is a
  // fixed-size one; otherwise the caller uses the _range hook.
  llvm::FunctionCallee fixedSizeHook(bool IsWrite, uint64_t Bytes) const;
};

// The low-level domain markers (004 §5.1.1: "domain_begin and domain_end")
// that the annotation pass emits and the lowering pass consumes:
//   call void (i32, ptr, ...) @akeso.domain.begin(i32 kind, ptr name
//                                                 [, <ret type> error])
//   call void @akeso.domain.end()
// begin is the first instruction of a domain function, end precedes each of
// its returns.  They are IR-only: no runtime function has these names.
inline constexpr const char *DomainBeginMarker = "akeso.domain.begin";
inline constexpr const char *DomainEndMarker = "akeso.domain.end";

// A function attribute marking the wrappers the lowering pass creates, so
// tests and tools can tell them from the user's functions.
inline constexpr const char *WrapperAttr = "akeso-domain-wrapper";

} // namespace akeso

#endif
