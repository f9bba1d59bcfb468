//===- libc_replacements.cpp - libc calls whose writes no argument bounds -===//
//
// sprintf writes as many bytes as its format produces, and recvfrom writes
// a peer address as long as *addrlen says, so the pass cannot log their
// destinations from the arguments alone.  These replacements work out what
// will be written (vsnprintf with no buffer measures the output), log it,
// then call libc.  User space only: they call glibc.
//
//===----------------------------------------------------------------------===//
#include "akeso/abi.h"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <sys/socket.h>
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

// recvfrom returns ssize_t; the ABI spells it size_t (same register).
size_t __akeso_recvfrom(int Socket, void *Buffer, size_t Length, int Flags,
                        void *Address, void *AddressLength) {
  __akeso_write_range(Buffer, Length);
  auto *PeerLength = static_cast<socklen_t *>(AddressLength);
  if (Address && PeerLength) {
    __akeso_write_range(PeerLength, sizeof(*PeerLength));
    __akeso_write_range(Address, *PeerLength);
  }
  return size_t(recvfrom(Socket, Buffer, Length, Flags,
                         static_cast<sockaddr *>(Address), PeerLength));
}

} // extern "C"
