//===- ErrorValueSyntax.cpp - literals accepted as `error:` values --------===//
//
// Recognises the scalar of an `error:` key.  The grammar is deliberately
// narrower than YAML's own scalar typing (no octal, no `~`, no `.inf`): an
// error value ends up as an IR constant, and an unexpected reading of the
// literal would silently change what a rolled-back function returns.
//
//===----------------------------------------------------------------------===//

#include "akeso/Annotations.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace llvm;

namespace akeso {
namespace {

/// Consumes a run of decimal digits from the front of \p S; returns how many.
size_t consumeDigits(StringRef &S) {
  size_t N = 0;
  while (N < S.size() && isDigit(S[N]))
    ++N;
  S = S.drop_front(N);
  return N;
}

/// Whether \p Body (sign already removed) is a decimal floating literal with
/// a fraction, an exponent or both.  Literals without either are integers.
bool isDecimalFloat(StringRef Body) {
  size_t IntDigits = consumeDigits(Body);
  bool HasPoint = Body.consume_front(".");
  size_t FracDigits = HasPoint ? consumeDigits(Body) : 0;
  if (IntDigits + FracDigits == 0)
    return false;
  bool HasExponent = false;
  if (Body.consume_front("e") || Body.consume_front("E")) {
    if (!Body.consume_front("+"))
      Body.consume_front("-");
    if (consumeDigits(Body) == 0)
      return false;
    HasExponent = true;
  }
  return Body.empty() && (HasPoint || HasExponent);
}

std::optional<ErrorValue> parseInteger(StringRef Text) {
  StringRef Body = Text;
  bool Negative = Body.consume_front("-");
  // Radix 0 of StringRef::getAsInteger would read a leading 0 as octal;
  // "010" meaning 8 would surprise anyone writing a C error code.
  unsigned Radix = 10;
  if (Body.consume_front("0x") || Body.consume_front("0X"))
    Radix = 16;
  if (Body.empty() || !all_of(Body, [Radix](char C) {
        return Radix == 16 ? isHexDigit(C) : isDigit(C);
      }))
    return std::nullopt;
  APInt Magnitude;
  if (Body.getAsInteger(Radix, Magnitude))
    return std::nullopt;

  // One bit wider than the magnitude keeps every literal exact as a signed
  // value; at least 64 bits so getExtValue() works for ordinary values.
  unsigned Width = std::max(64u, Magnitude.getActiveBits() + 1);
  ErrorValue V;
  V.Form = ErrorValue::Form::Integer;
  V.IntValue = APSInt(Magnitude.zextOrTrunc(Width), /*isUnsigned=*/false);
  if (Negative)
    V.IntValue = -V.IntValue;
  return V;
}

std::optional<ErrorValue> parseFloat(StringRef Text) {
  StringRef Body = Text;
  Body.consume_front("-");
  if (!isDecimalFloat(Body))
    return std::nullopt;
  APFloat F(APFloat::IEEEdouble());
  Expected<APFloat::opStatus> Status =
      F.convertFromString(Text, APFloat::rmNearestTiesToEven);
  if (!Status) {
    consumeError(Status.takeError());
    return std::nullopt;
  }
  ErrorValue V;
  V.Form = ErrorValue::Form::Float;
  V.FloatValue = F.convertToDouble();
  return V;
}

} // namespace

std::optional<ErrorValue> parseErrorValue(StringRef Text) {
  std::optional<ErrorValue> V;
  if (Text == "null") {
    V.emplace();
    V->Form = ErrorValue::Form::Null;
  } else if (Text == "true" || Text == "false") {
    V.emplace();
    V->Form = ErrorValue::Form::Bool;
    V->BoolValue = Text == "true";
  } else if (!(V = parseInteger(Text))) {
    V = parseFloat(Text);
  }
  if (V)
    V->Text = Text.str();
  return V;
}

} // namespace akeso
