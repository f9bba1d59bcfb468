//===- libc_formatters.cpp - sprintf and friends inside domains -----------===//
//
// sprintf writes as many bytes as its format produces, which no argument
// bounds, so the pass cannot log its destination before the call.  These
// replacements measure the output first (vsnprintf with no buffer), log
// that many bytes of the destination, then format for real.  User space
// only: they call glibc.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <type_traits>

extern "C" int __vsprintf_chk(char *, int, size_t, const char *, va_list);

namespace {

// A va_list argument arrives as the pointer it decays to (x86-64 SysV).
using VaListPointer = std::decay_t<va_list>;

void logFormatted(void *Dest, size_t Limit, const char *Format,
                  VaListPointer Args) {
  va_list Copy;
  va_copy(Copy, Args);
  int Length = vsnprintf(nullptr, 0, Format, Copy);
  va_end(Copy);
  if (Length < 0)
    return;
  size_t Bytes = size_t(Length) + 1;
  __akeso_write_range(Dest, Bytes < Limit ? Bytes : Limit);
}

} // namespace

extern "C" {

int __akeso_vsprintf(void *Dest, void *Format, void *Args) {
  auto *Fmt = static_cast<const char *>(Format);
  auto *Ap = static_cast<VaListPointer>(Args);
  logFormatted(Dest, SIZE_MAX, Fmt, Ap);
  return vsprintf(static_cast<char *>(Dest), Fmt, Ap);
}

int __akeso_sprintf(void *Dest, void *Format, ...) {
  va_list Args;
  va_start(Args, Format);
  int Result = __akeso_vsprintf(Dest, Format, Args);
  va_end(Args);
  return Result;
}

int __akeso_vsprintf_chk(void *Dest, int Flag, size_t Size, void *Format,
                         void *Args) {
  auto *Fmt = static_cast<const char *>(Format);
  auto *Ap = static_cast<VaListPointer>(Args);
  logFormatted(Dest, Size, Fmt, Ap);
  return __vsprintf_chk(static_cast<char *>(Dest), Flag, Size, Fmt, Ap);
}

int __akeso_sprintf_chk(void *Dest, int Flag, size_t Size, void *Format, ...) {
  va_list Args;
  va_start(Args, Format);
  int Result = __akeso_vsprintf_chk(Dest, Flag, Size, Format, Args);
  va_end(Args);
  return Result;
}

} // extern "C"
