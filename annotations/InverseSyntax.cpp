//===- InverseSyntax.cpp - the `inverse:` call syntax ---------------------===//
//
// Recognises `callee(arg, ...)`, where each arg is `ret` (the wrapped
// function's return value) or `argN` (its N-th parameter, 0-based).  The
// inverse is called by the runtime, not written in the program, so only
// values the wrapper still holds may be passed: no expressions, no constants.
//
//===----------------------------------------------------------------------===//

#include "akeso/Annotations.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace akeso {
namespace {

void skipSpaces(StringRef &S) { S = S.ltrim(" \t"); }

bool isIdentifierStart(char C) { return isAlpha(C) || C == '_'; }
bool isIdentifierChar(char C) { return isAlnum(C) || C == '_'; }

/// Consumes a C identifier from the front of \p S, or returns "" and leaves
/// \p S alone.
StringRef consumeIdentifier(StringRef &S) {
  if (S.empty() || !isIdentifierStart(S.front()))
    return StringRef();
  size_t N = 1;
  while (N < S.size() && isIdentifierChar(S[N]))
    ++N;
  StringRef Id = S.take_front(N);
  S = S.drop_front(N);
  return Id;
}

std::optional<InverseArg> parseArg(StringRef Word) {
  InverseArg A;
  if (Word == "ret") {
    A.Form = InverseArg::Form::Ret;
    return A;
  }
  StringRef Digits = Word;
  if (!Digits.consume_front("arg") || Digits.empty() ||
      !all_of(Digits, isDigit))
    return std::nullopt;
  A.Form = InverseArg::Form::Param;
  // getAsInteger fails on overflow, which rejects absurd indices for us.
  if (Digits.getAsInteger(10, A.Index))
    return std::nullopt;
  return A;
}

} // namespace

std::optional<InverseSpec> parseInverseSpec(StringRef Text) {
  StringRef S = Text;
  InverseSpec Spec;
  skipSpaces(S);
  StringRef Callee = consumeIdentifier(S);
  if (Callee.empty())
    return std::nullopt;
  Spec.Callee = Callee.str();
  skipSpaces(S);
  if (!S.consume_front("("))
    return std::nullopt;
  skipSpaces(S);
  if (!S.consume_front(")")) {
    while (true) {
      std::optional<InverseArg> Arg = parseArg(consumeIdentifier(S));
      if (!Arg)
        return std::nullopt;
      Spec.Args.push_back(*Arg);
      skipSpaces(S);
      if (S.consume_front(")"))
        break;
      if (!S.consume_front(","))
        return std::nullopt;
      skipSpaces(S);
    }
  }
  skipSpaces(S);
  if (!S.empty())
    return std::nullopt;
  Spec.Text = Text.str();
  return Spec;
}

} // namespace akeso
