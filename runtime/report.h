//===- report.h - messages from the runtime -------------------------------===//
//
// Every runtime message starts with "akeso: " and is written with one
// write(2) from a stack buffer, so reports stay whole when threads interleave
// and never allocate.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_REPORT_H
#define AKESO_RUNTIME_REPORT_H

namespace akeso::rt {

void report(const char *Format, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void fatal(const char *Format, ...)
    __attribute__((format(printf, 1, 2)));

} // namespace akeso::rt

#endif
