//===- report.cpp - formatting runtime messages ---------------------------===//
#include "report.h"

#include "platform/platform.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace akeso::rt {

static void emit(const char *Format, va_list Args) {
  char Buffer[1024];
  int N = snprintf(Buffer, sizeof(Buffer), "akeso: ");
  int M = vsnprintf(Buffer + N, sizeof(Buffer) - N - 1, Format, Args);
  size_t Len = size_t(N) + (M < 0 ? 0 : size_t(M));
  if (Len > sizeof(Buffer) - 2)
    Len = sizeof(Buffer) - 2;
  Buffer[Len++] = '\n';
  platform::writeError(Buffer, Len);
}

void report(const char *Format, ...) {
  va_list Args;
  va_start(Args, Format);
  emit(Format, Args);
  va_end(Args);
}

void fatal(const char *Format, ...) {
  platform::flushProgramOutput();
  va_list Args;
  va_start(Args, Format);
  emit(Format, Args);
  va_end(Args);
  platform::die();
}

} // namespace akeso::rt
