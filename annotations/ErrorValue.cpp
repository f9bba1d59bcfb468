//===- ErrorValue.cpp - error values as IR constants ----------------------===//
//
// Implements buildErrorConstant.  It refuses rather than converts whenever a
// value would change meaning on the way into the return type (truncation,
// float-to-int, non-zero pointers): a rolled-back function returning
// something other than what the annotation says would be a silent bug in
// the program's error handling.
//
//===----------------------------------------------------------------------===//

#include "akeso/ErrorValueIR.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Type.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace akeso {
namespace {

std::string typeName(Type *Ty) {
  std::string Name;
  raw_string_ostream OS(Name);
  Ty->print(OS);
  return Name;
}

Error doesNotFit(const ErrorValue &V, Type *Ty) {
  return createStringError(inconvertibleErrorCode(),
                           "error value '" + V.Text +
                               "' does not fit return type '" + typeName(Ty) +
                               "'");
}

Expected<Constant *> buildInteger(const ErrorValue &V, IntegerType *Ty) {
  unsigned Bits = Ty->getBitWidth();
  if (V.Form == ErrorValue::Form::Bool)
    return ConstantInt::get(Ty, V.BoolValue ? 1 : 0);
  if (V.Form != ErrorValue::Form::Integer)
    return doesNotFit(V, Ty);

  const APSInt &Value = V.IntValue;
  // -1 "fits" i1 as a signed value, but an i1 error value written as -1 is
  // far more likely a C error code meant for a wider type.
  bool Fits = Bits == 1 ? !Value.isNegative() && Value.getActiveBits() <= 1
                        : Value.isSignedIntN(Bits) ||
                              (!Value.isNegative() && Value.isIntN(Bits));
  if (!Fits)
    return doesNotFit(V, Ty);
  return ConstantInt::get(Ty, Value.sextOrTrunc(Bits));
}

Expected<Constant *> buildFloat(const ErrorValue &V, Type *Ty) {
  APFloat Result(Ty->getFltSemantics());
  APFloat::opStatus Status;
  if (V.Form == ErrorValue::Form::Float) {
    // Rounding the source text once is exact for every format, where going
    // through FloatValue would round twice for types wider than double.
    Expected<APFloat::opStatus> Converted =
        Result.convertFromString(V.Text, APFloat::rmNearestTiesToEven);
    if (!Converted) {
      consumeError(Converted.takeError());
      return doesNotFit(V, Ty);
    }
    Status = *Converted;
  } else if (V.Form == ErrorValue::Form::Integer) {
    Status = Result.convertFromAPInt(V.IntValue, /*IsSigned=*/true,
                                     APFloat::rmNearestTiesToEven);
  } else {
    return doesNotFit(V, Ty);
  }
  // Inexact rounding is what a float literal means; overflowing to infinity
  // is not.
  if (Status & (APFloat::opOverflow | APFloat::opInvalidOp))
    return doesNotFit(V, Ty);
  return ConstantFP::get(Ty->getContext(), Result);
}

} // namespace

Expected<Constant *> buildErrorConstant(const ErrorValue &V, Type *RetTy) {
  if (RetTy->isVoidTy())
    return createStringError(inconvertibleErrorCode(),
                             "function returns void; remove the `error` key");
  if (auto *IntTy = dyn_cast<IntegerType>(RetTy))
    return buildInteger(V, IntTy);
  if (auto *PtrTy = dyn_cast<PointerType>(RetTy)) {
    bool IsZero = V.Form == ErrorValue::Form::Integer && V.IntValue.isZero();
    if (V.Form != ErrorValue::Form::Null && !IsZero)
      return doesNotFit(V, RetTy);
    return ConstantPointerNull::get(PtrTy);
  }
  if (RetTy->isFloatingPointTy())
    return buildFloat(V, RetTy);
  return createStringError(inconvertibleErrorCode(),
                           "cannot express an error value for return type '" +
                               typeName(RetTy) +
                               "'; wrap the function or return a scalar");
}

} // namespace akeso
