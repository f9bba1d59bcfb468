//===- akeso/ErrorValueIR.h - error values as IR constants ------*- C++ -*-===//
//
// Turns the `error:` value of an annotation into the constant the domain's
// wrapper returns after a rollback.  The file is parsed before any IR is
// seen, so only here, with the wrapped function's return type at hand, can a
// value be found not to fit (-1 for a pointer, 300 for an i8).
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_ERRORVALUEIR_H
#define AKESO_ERRORVALUEIR_H

#include "akeso/Annotations.h"

#include "llvm/Support/Error.h"

namespace llvm {
class Constant;
class Type;
} // namespace llvm

namespace akeso {

/// Builds the constant of type \p RetTy that a wrapper returns when its
/// domain rolls back, or explains why \p V cannot be returned by a function
/// of that type:
///  - iN: an integer that fits N bits as signed or unsigned (i1 takes only
///    0 and 1), or true/false as 1/0;
///  - pointers: null or the integer 0;
///  - floating-point types: a floating or integer literal, rounded to the
///    type; values that overflow it are rejected;
///  - void, aggregates, vectors and other types: always an error.
/// The error message has no location: the caller prefixes
/// AnnotationFile::location(V.Pos).
llvm::Expected<llvm::Constant *> buildErrorConstant(const ErrorValue &V,
                                                    llvm::Type *RetTy);

} // namespace akeso

#endif // AKESO_ERRORVALUEIR_H
