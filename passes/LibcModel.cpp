//===- LibcModel.cpp - the table of known library functions ---------------===//
//
// Entries cover glibc's fortified variants (__*_chk, used whenever
// _FORTIFY_SOURCE is on, as distributions build by default) alongside the
// plain functions.  A bound a function cannot exceed (strncpy's n, read's
// count) is logged whole: the extra words hold their old values and are
// restored to them.  Sized and nothrow deletes release through what can be
// called with the object (and alignment) alone.
//
//===----------------------------------------------------------------------===//
#include "LibcModel.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Module.h"

#include <algorithm>

using namespace llvm;

namespace akeso {
namespace {

using E = LibcEffect;

constexpr E write(const char *Name, int Dest, SizeRule Size, int A, int B = -1,
                  int Source = -1) {
  return {Name, E::Write, Dest, Size, A, B, Source, nullptr, -1};
}
constexpr E copy(const char *Name, int SizeArg) {
  return write(Name, 0, SizeRule::Arg, SizeArg, -1, 1);
}
constexpr E allocate(const char *Name, const char *Release, int Arg = -1) {
  return {Name, E::Allocate, -1, SizeRule::Arg, -1, -1, -1, Release, Arg};
}
constexpr E release(const char *Name, const char *Release, int Arg = -1) {
  return {Name, E::Release, -1, SizeRule::Arg, -1, -1, -1, Release, Arg};
}
constexpr E replace(const char *Name, const char *With) {
  return {Name, E::Replace, -1, SizeRule::Arg, -1, -1, -1, With, -1};
}
constexpr E output(const char *Name) {
  return {Name, E::Output, 0, SizeRule::Arg, -1, -1, -1, nullptr, -1};
}

constexpr LibcEffect Effects[] = {
    // Output to a file descriptor (its fd is argument 0).
    output("write"),
    output("pwrite"),
    output("pwrite64"),
    output("writev"),
    output("pwritev"),
    output("pwritev2"),
    output("send"),
    output("sendto"),
    output("sendmsg"),
    output("sendmmsg"),
    output("sendfile"),
    output("sendfile64"),
    // Copies and fills.
    copy("memcpy", 2),
    copy("memmove", 2),
    copy("mempcpy", 2),
    copy("__memcpy_chk", 2),
    copy("__memmove_chk", 2),
    copy("__mempcpy_chk", 2),
    write("memset", 0, SizeRule::Arg, 2),
    write("__memset_chk", 0, SizeRule::Arg, 2),
    write("bzero", 0, SizeRule::Arg, 1),
    write("explicit_bzero", 0, SizeRule::Arg, 1),
    write("__explicit_bzero_chk", 0, SizeRule::Arg, 1),
    write("memccpy", 0, SizeRule::Arg, 3),
    // Strings.
    write("strcpy", 0, SizeRule::StrlenOfArgPlusOne, 1),
    write("stpcpy", 0, SizeRule::StrlenOfArgPlusOne, 1),
    write("__strcpy_chk", 0, SizeRule::StrlenOfArgPlusOne, 1),
    write("__stpcpy_chk", 0, SizeRule::StrlenOfArgPlusOne, 1),
    write("strncpy", 0, SizeRule::Arg, 2),
    write("stpncpy", 0, SizeRule::Arg, 2),
    write("__strncpy_chk", 0, SizeRule::Arg, 2),
    write("__stpncpy_chk", 0, SizeRule::Arg, 2),
    write("strcat", 0, SizeRule::Strcat, 1),
    write("__strcat_chk", 0, SizeRule::Strcat, 1),
    write("strncat", 0, SizeRule::Strncat, 1, 2),
    write("__strncat_chk", 0, SizeRule::Strncat, 1, 2),
    // Wide characters (wchar_t is 4 bytes on Linux).
    write("wmemcpy", 0, SizeRule::WideChars, 2, -1, 1),
    write("wmemmove", 0, SizeRule::WideChars, 2, -1, 1),
    write("__wmemcpy_chk", 0, SizeRule::WideChars, 2, -1, 1),
    write("__wmemmove_chk", 0, SizeRule::WideChars, 2, -1, 1),
    write("wmemset", 0, SizeRule::WideChars, 2),
    write("__wmemset_chk", 0, SizeRule::WideChars, 2),
    // Bounded formatting.
    write("snprintf", 0, SizeRule::Arg, 1),
    write("vsnprintf", 0, SizeRule::Arg, 1),
    write("__snprintf_chk", 0, SizeRule::Arg, 1),
    write("__vsnprintf_chk", 0, SizeRule::Arg, 1),
    // Unbounded formatting: the runtime measures, logs, then formats.
    replace("sprintf", "__akeso_sprintf"),
    replace("vsprintf", "__akeso_vsprintf"),
    replace("__sprintf_chk", "__akeso_sprintf_chk"),
    replace("__vsprintf_chk", "__akeso_vsprintf_chk"),
    // Input.
    write("fgets", 0, SizeRule::Arg, 1),
    write("fgets_unlocked", 0, SizeRule::Arg, 1),
    write("__fgets_chk", 0, SizeRule::Arg, 2),
    write("fread", 0, SizeRule::ArgProduct, 1, 2),
    write("fread_unlocked", 0, SizeRule::ArgProduct, 1, 2),
    write("__fread_chk", 0, SizeRule::ArgProduct, 2, 3),
    write("read", 1, SizeRule::Arg, 2),
    write("__read_chk", 1, SizeRule::Arg, 2),
    write("pread", 1, SizeRule::Arg, 2),
    write("pread64", 1, SizeRule::Arg, 2),
    write("__pread_chk", 1, SizeRule::Arg, 2),
    write("recv", 1, SizeRule::Arg, 2),
    write("__recv_chk", 1, SizeRule::Arg, 2),
    // recvfrom also writes the peer's address, as long as *addrlen says.
    replace("recvfrom", "__akeso_recvfrom"),
    // Locks: taken and released through the runtime, which undoes both.
    replace("pthread_mutex_lock", "__akeso_mutex_lock"),
    replace("pthread_mutex_trylock", "__akeso_mutex_trylock"),
    replace("pthread_mutex_unlock", "__akeso_mutex_unlock"),
    replace("pthread_rwlock_rdlock", "__akeso_rwlock_rdlock"),
    replace("pthread_rwlock_wrlock", "__akeso_rwlock_wrlock"),
    replace("pthread_rwlock_tryrdlock", "__akeso_rwlock_tryrdlock"),
    replace("pthread_rwlock_trywrlock", "__akeso_rwlock_trywrlock"),
    replace("pthread_rwlock_unlock", "__akeso_rwlock_unlock"),
    replace("pthread_spin_lock", "__akeso_spin_lock"),
    replace("pthread_spin_trylock", "__akeso_spin_trylock"),
    replace("pthread_spin_unlock", "__akeso_spin_unlock"),
    // C allocation.
    allocate("malloc", "free"),
    allocate("calloc", "free"),
    allocate("strdup", "free"),
    allocate("strndup", "free"),
    allocate("aligned_alloc", "free"),
    allocate("memalign", "free"),
    allocate("valloc", "free"),
    allocate("pvalloc", "free"),
    {"posix_memalign", E::AllocateThroughPointer, 0, SizeRule::Arg, -1, -1, -1,
     "free", -1},
    replace("realloc", "__akeso_realloc"),
    replace("reallocarray", "__akeso_reallocarray"),
    release("free", "free"),
    release("cfree", "free"),
    // C++ allocation (Itanium names).
    allocate("_Znwm", "_ZdlPv"),
    allocate("_Znam", "_ZdaPv"),
    allocate("_ZnwmRKSt9nothrow_t", "_ZdlPv"),
    allocate("_ZnamRKSt9nothrow_t", "_ZdaPv"),
    allocate("_ZnwmSt11align_val_t", "_ZdlPvSt11align_val_t", 1),
    allocate("_ZnamSt11align_val_t", "_ZdaPvSt11align_val_t", 1),
    allocate("_ZnwmSt11align_val_tRKSt9nothrow_t", "_ZdlPvSt11align_val_t", 1),
    allocate("_ZnamSt11align_val_tRKSt9nothrow_t", "_ZdaPvSt11align_val_t", 1),
    release("_ZdlPv", "_ZdlPv"),
    release("_ZdaPv", "_ZdaPv"),
    release("_ZdlPvm", "_ZdlPv"),
    release("_ZdaPvm", "_ZdaPv"),
    release("_ZdlPvRKSt9nothrow_t", "_ZdlPv"),
    release("_ZdaPvRKSt9nothrow_t", "_ZdaPv"),
    release("_ZdlPvSt11align_val_t", "_ZdlPvSt11align_val_t", 1),
    release("_ZdaPvSt11align_val_t", "_ZdaPvSt11align_val_t", 1),
    release("_ZdlPvmSt11align_val_t", "_ZdlPvSt11align_val_t", 2),
    release("_ZdaPvmSt11align_val_t", "_ZdaPvSt11align_val_t", 2),
    release("_ZdlPvSt11align_val_tRKSt9nothrow_t", "_ZdlPvSt11align_val_t", 1),
    release("_ZdaPvSt11align_val_tRKSt9nothrow_t", "_ZdaPvSt11align_val_t", 1),
};

int highestArgument(const LibcEffect &Effect) {
  return std::max({Effect.Dest, Effect.A, Effect.B, Effect.Source,
                   Effect.PartnerArg, Effect.Kind == E::Release ? 0 : -1});
}

bool hasPrototype(const CallBase &CB, const LibcEffect &Effect) {
  if (int(CB.arg_size()) <= highestArgument(Effect))
    return false;
  auto IsPointer = [&](int I) {
    return I < 0 || CB.getArgOperand(I)->getType()->isPointerTy();
  };
  auto IsInteger = [&](int I) {
    return I < 0 || CB.getArgOperand(I)->getType()->isIntegerTy();
  };
  switch (Effect.Kind) {
  case E::Write:
    if (!IsPointer(Effect.Dest) || !IsPointer(Effect.Source))
      return false;
    switch (Effect.Size) {
    case SizeRule::Arg:
    case SizeRule::ArgProduct:
    case SizeRule::WideChars:
      return IsInteger(Effect.A) && IsInteger(Effect.B);
    case SizeRule::StrlenOfArgPlusOne:
    case SizeRule::Strcat:
      return IsPointer(Effect.A);
    case SizeRule::Strncat:
      return IsPointer(Effect.A) && IsInteger(Effect.B);
    }
    return false;
  case E::Allocate:
    return CB.getType()->isPointerTy() && IsInteger(Effect.PartnerArg);
  case E::AllocateThroughPointer:
    return IsPointer(Effect.Dest) && CB.getType()->isIntegerTy();
  case E::Release:
    return IsPointer(0) && IsInteger(Effect.PartnerArg);
  case E::Output:
    return CB.getArgOperand(Effect.Dest)->getType()->isIntegerTy(32);
  case E::Replace: {
    // The runtime's replacement is declared with the libc prototype.
    const Function *With = CB.getModule()->getFunction(Effect.Partner);
    return With && With->getFunctionType() == CB.getFunctionType();
  }
  }
  return false;
}

} // namespace

const LibcEffect *libcEffect(const CallBase &CB) {
  const Function *Callee = CB.getCalledFunction();
  if (!Callee || !Callee->isDeclaration())
    return nullptr;
  StringRef Name = Callee->getName();
  for (const LibcEffect &Effect : Effects)
    if (Name == Effect.Name)
      return hasPrototype(CB, Effect) ? &Effect : nullptr;
  return nullptr;
}

} // namespace akeso
