//===- LibcModel.h - what library calls do to the program's memory -------===//
//
// libc and the C++ runtime are not compiled with akeso, so a call into them
// writes memory no hook sees, and allocation and release happen where a
// rollback cannot reach.  This is the instrumentation pass's knowledge of
// those functions, kept apart from how it rewrites the calls.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_PASSES_LIBCMODEL_H
#define AKESO_PASSES_LIBCMODEL_H

namespace llvm {
class CallBase;
}

namespace akeso {

// How many bytes a writing function may write, from its arguments.
enum class SizeRule {
  Arg,                // arg A
  ArgProduct,         // arg A * arg B
  StrlenOfArgPlusOne, // strlen(arg A) + 1
  Strcat,             // strlen(dest) + strlen(arg A) + 1
  Strncat,            // strlen(dest) + strnlen(arg A, arg B) + 1
  WideChars,          // arg A * sizeof(wchar_t)
};

struct LibcEffect {
  const char *Name;
  enum EffectKind {
    // Writes [arg Dest, +size) and, if Source >= 0, reads [arg Source, +size).
    Write,
    // Returns memory that Partner releases.
    Allocate,
    // Stores memory that Partner releases through pointer arg Dest, and
    // returns 0 on success (posix_memalign).
    AllocateThroughPointer,
    // Releases arg 0, as Partner does.
    Release,
    // Replaced by the runtime function Partner, same signature.
    Replace,
    // Output the process cannot take back, to file descriptor arg Dest
    // (write, send, ...): a domain that performs it and is rolled back is
    // reported (its memory is restored, the output is not).
    Output,
  } Kind;
  int Dest = -1;
  SizeRule Size = SizeRule::Arg;
  int A = -1, B = -1;
  int Source = -1;
  const char *Partner = nullptr;
  // Allocate / Release: an argument of this call that Partner also takes
  // after the object (the alignment of aligned new/delete); -1 if none.
  int PartnerArg = -1;
};

// The effect of the function CB calls, if it is a known library function
// (declared, not defined, in this module) whose prototype has the shape
// the effect needs: pointers where it reads or writes, integers for sizes.
// A program's own function that happens to share a libc name is left
// alone.
const LibcEffect *libcEffect(const llvm::CallBase &CB);

} // namespace akeso

#endif
