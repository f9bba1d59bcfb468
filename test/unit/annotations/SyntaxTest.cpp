//===- SyntaxTest.cpp - the grammars of error values and inverses ---------===//
//
// Exercises parseErrorValue and parseInverseSpec directly, where edge cases
// (hex, huge magnitudes, leading zeros, spacing) are cheap to enumerate.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include <cmath>

using namespace akeso;
using llvm::StringRef;

namespace {

TEST(ErrorValueSyntaxTest, Integers) {
  struct Case {
    StringRef Text;
    int64_t Value;
  } Cases[] = {
      {"0", 0},        {"-1", -1},   {"42", 42},
      {"010", 10},     {"0x10", 16}, {"0XfF", 255},
      {"-0x80", -128}, {"-0", 0},    {"9223372036854775807", INT64_MAX}};
  for (const Case &C : Cases) {
    SCOPED_TRACE(C.Text.str());
    std::optional<ErrorValue> V = parseErrorValue(C.Text);
    ASSERT_TRUE(V);
    EXPECT_EQ(V->Form, ErrorValue::Form::Integer);
    EXPECT_EQ(V->IntValue.getExtValue(), C.Value);
    EXPECT_EQ(V->Text, C.Text);
    EXPECT_FALSE(V->Pos.isValid());
  }
}

TEST(ErrorValueSyntaxTest, IntegersWiderThan64BitsStayExact) {
  std::optional<ErrorValue> Max = parseErrorValue("0xffffffffffffffff");
  ASSERT_TRUE(Max);
  EXPECT_FALSE(Max->isNegative());
  EXPECT_EQ(Max->IntValue.getActiveBits(), 64u);
  EXPECT_TRUE(Max->IntValue.isIntN(64));

  std::optional<ErrorValue> Huge =
      parseErrorValue("-340282366920938463463374607431768211456"); // -2^128
  ASSERT_TRUE(Huge);
  EXPECT_TRUE(Huge->isNegative());
  EXPECT_EQ(Huge->IntValue.getSignificantBits(), 129u);
}

TEST(ErrorValueSyntaxTest, Floats) {
  struct Case {
    StringRef Text;
    double Value;
  } Cases[] = {{"1.5", 1.5}, {"-0.0", -0.0}, {"1e3", 1000.0},  {"2.5E-1", 0.25},
               {".5", 0.5},  {"3.", 3.0},    {"-1e+2", -100.0}};
  for (const Case &C : Cases) {
    SCOPED_TRACE(C.Text.str());
    std::optional<ErrorValue> V = parseErrorValue(C.Text);
    ASSERT_TRUE(V);
    EXPECT_EQ(V->Form, ErrorValue::Form::Float);
    EXPECT_EQ(V->FloatValue, C.Value);
    EXPECT_EQ(std::signbit(V->FloatValue), std::signbit(C.Value));
    EXPECT_FALSE(V->isNegative()); // only integers report a sign this way
  }
}

TEST(ErrorValueSyntaxTest, Words) {
  std::optional<ErrorValue> Null = parseErrorValue("null");
  ASSERT_TRUE(Null);
  EXPECT_EQ(Null->Form, ErrorValue::Form::Null);
  std::optional<ErrorValue> True = parseErrorValue("true");
  ASSERT_TRUE(True);
  EXPECT_EQ(True->Form, ErrorValue::Form::Bool);
  EXPECT_TRUE(True->BoolValue);
  std::optional<ErrorValue> False = parseErrorValue("false");
  ASSERT_TRUE(False);
  EXPECT_FALSE(False->BoolValue);
}

TEST(ErrorValueSyntaxTest, Rejects) {
  for (StringRef Bad :
       {"",     "-",   "+1",    "0x",  "-0x",   "1.2.3", ".",    "e3",
        "1e",   "1e+", "0x1p3", "nan", "inf",   ".inf",  "NULL", "Null",
        "TRUE", "~",   " 1",    "1 ",  "1_000", "0b101", "0o7"}) {
    SCOPED_TRACE(Bad.str());
    EXPECT_FALSE(parseErrorValue(Bad));
  }
}

TEST(InverseSyntaxTest, Arities) {
  std::optional<InverseSpec> None = parseInverseSpec("reset()");
  ASSERT_TRUE(None);
  EXPECT_EQ(None->Callee, "reset");
  EXPECT_TRUE(None->Args.empty());

  std::optional<InverseSpec> One = parseInverseSpec("kv_free(ret)");
  ASSERT_TRUE(One);
  EXPECT_EQ(One->Callee, "kv_free");
  ASSERT_EQ(One->Args.size(), 1u);
  EXPECT_EQ(One->Args[0], (InverseArg{InverseArg::Form::Ret, 0}));

  std::optional<InverseSpec> Two = parseInverseSpec(" _undo2 ( arg1,ret ) ");
  ASSERT_TRUE(Two);
  EXPECT_EQ(Two->Callee, "_undo2");
  ASSERT_EQ(Two->Args.size(), 2u);
  EXPECT_EQ(Two->Args[0], (InverseArg{InverseArg::Form::Param, 1}));
  EXPECT_EQ(Two->Args[1], (InverseArg{InverseArg::Form::Ret, 0}));
  EXPECT_EQ(Two->Text, " _undo2 ( arg1,ret ) ");

  std::optional<InverseSpec> Big = parseInverseSpec("f(arg12, arg0, ret)");
  ASSERT_TRUE(Big);
  ASSERT_EQ(Big->Args.size(), 3u);
  EXPECT_EQ(Big->Args[0].Index, 12u);
}

TEST(InverseSyntaxTest, Rejects) {
  for (StringRef Bad :
       {"",           "f",       "f(",
        "f)",         "()",      "f(ret",
        "f(,)",       "f(ret,)", "f(,ret)",
        "f(ret ret)", "f(arg)",  "f(argx)",
        "f(arg-1)",   "f(Ret)",  "f(x)",
        "f(0)",       "9f(ret)", "ns::f(ret)",
        "f(ret) g",   "f(ret);", "f(arg99999999999999999999)"}) {
    SCOPED_TRACE(Bad.str());
    EXPECT_FALSE(parseInverseSpec(Bad));
  }
}

} // namespace
