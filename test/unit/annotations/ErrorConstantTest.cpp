//===- ErrorConstantTest.cpp - error values as IR constants ---------------===//
//
// Checks which error values each return type accepts, the constants built
// for them, and the wording of refusals that users will read.
//
//===----------------------------------------------------------------------===//

#include "akeso/ErrorValueIR.h"

#include "TestHelpers.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Type.h"

using namespace akeso;
using namespace akeso::test;
using namespace llvm;

namespace {

class ErrorConstantTest : public ::testing::Test {
protected:
  static ErrorValue value(StringRef Text) {
    std::optional<ErrorValue> V = parseErrorValue(Text);
    EXPECT_TRUE(V) << Text.str();
    return V.value_or(ErrorValue());
  }

  Constant *build(StringRef Text, Type *Ty) {
    Expected<Constant *> C = buildErrorConstant(value(Text), Ty);
    if (!C) {
      ADD_FAILURE() << toString(C.takeError());
      return nullptr;
    }
    return *C;
  }

  std::string refusal(StringRef Text, Type *Ty) {
    return errorText(buildErrorConstant(value(Text), Ty));
  }

  /// The sign-extended value of the integer constant built for \p Text.
  std::optional<int64_t> intOf(StringRef Text, Type *Ty) {
    auto *CI = dyn_cast_or_null<ConstantInt>(build(Text, Ty));
    if (!CI)
      return std::nullopt;
    EXPECT_EQ(CI->getType(), Ty);
    return CI->getSExtValue();
  }

  LLVMContext Ctx;
  Type *I1 = Type::getInt1Ty(Ctx);
  Type *I8 = Type::getInt8Ty(Ctx);
  Type *I32 = Type::getInt32Ty(Ctx);
  Type *I64 = Type::getInt64Ty(Ctx);
  Type *I128 = Type::getIntNTy(Ctx, 128);
  Type *Ptr = PointerType::getUnqual(Ctx);
  Type *Float = Type::getFloatTy(Ctx);
  Type *Double = Type::getDoubleTy(Ctx);
  Type *Half = Type::getHalfTy(Ctx);
  Type *FP128 = Type::getFP128Ty(Ctx);
  Type *X86FP80 = Type::getX86_FP80Ty(Ctx);
  Type *Void = Type::getVoidTy(Ctx);
};

TEST_F(ErrorConstantTest, Integers) {
  EXPECT_EQ(intOf("-1", I32), -1);
  EXPECT_EQ(intOf("0x7fffffff", I32), INT32_MAX);
  EXPECT_EQ(intOf("0xffffffff", I32), -1); // fits as unsigned
  EXPECT_EQ(intOf("-128", I8), -128);
  EXPECT_EQ(intOf("255", I8), -1);
  EXPECT_EQ(intOf("0xffffffffffffffff", I64), -1);
  EXPECT_EQ(intOf("-9223372036854775808", I64), INT64_MIN);
  EXPECT_EQ(intOf("true", I32), 1);
  EXPECT_EQ(intOf("false", I64), 0);

  auto *Wide = dyn_cast_or_null<ConstantInt>(
      build("0xffffffffffffffffffffffffffffffff", I128));
  ASSERT_TRUE(Wide);
  EXPECT_TRUE(Wide->isMinusOne());
}

TEST_F(ErrorConstantTest, IntegerRefusals) {
  EXPECT_EQ(refusal("300", I8),
            "error value '300' does not fit return type 'i8'");
  EXPECT_EQ(refusal("-129", I8),
            "error value '-129' does not fit return type 'i8'");
  EXPECT_EQ(refusal("0x100000000", I32),
            "error value '0x100000000' does not fit return type 'i32'");
  EXPECT_EQ(refusal("0x10000000000000000", I64),
            "error value '0x10000000000000000' does not fit return type "
            "'i64'");
  EXPECT_EQ(refusal("1.5", I32),
            "error value '1.5' does not fit return type 'i32'");
  EXPECT_EQ(refusal("null", I32),
            "error value 'null' does not fit return type 'i32'");
}

TEST_F(ErrorConstantTest, I1TakesOnlyZeroOneAndBools) {
  EXPECT_EQ(intOf("0", I1), 0);
  EXPECT_EQ(intOf("1", I1), -1); // i1 1 sign-extends to -1
  EXPECT_EQ(intOf("true", I1), -1);
  EXPECT_EQ(intOf("false", I1), 0);
  EXPECT_EQ(refusal("-1", I1),
            "error value '-1' does not fit return type 'i1'");
  EXPECT_EQ(refusal("2", I1), "error value '2' does not fit return type 'i1'");
}

TEST_F(ErrorConstantTest, Pointers) {
  EXPECT_TRUE(isa_and_nonnull<ConstantPointerNull>(build("null", Ptr)));
  EXPECT_TRUE(isa_and_nonnull<ConstantPointerNull>(build("0", Ptr)));
  EXPECT_TRUE(isa_and_nonnull<ConstantPointerNull>(build("0x0", Ptr)));
  Type *Ptr1 = PointerType::get(Ctx, 1);
  Constant *C = build("null", Ptr1);
  ASSERT_TRUE(C);
  EXPECT_EQ(C->getType(), Ptr1);

  EXPECT_EQ(refusal("5", Ptr),
            "error value '5' does not fit return type 'ptr'");
  EXPECT_EQ(refusal("-1", Ptr),
            "error value '-1' does not fit return type 'ptr'");
  EXPECT_EQ(refusal("false", Ptr),
            "error value 'false' does not fit return type 'ptr'");
  EXPECT_EQ(refusal("0.0", Ptr),
            "error value '0.0' does not fit return type 'ptr'");
}

TEST_F(ErrorConstantTest, FloatingPoint) {
  auto *D = dyn_cast_or_null<ConstantFP>(build("1.5", Double));
  ASSERT_TRUE(D);
  EXPECT_EQ(D->getType(), Double);
  EXPECT_EQ(D->getValueAPF().convertToDouble(), 1.5);

  auto *F = dyn_cast_or_null<ConstantFP>(build("-3", Float));
  ASSERT_TRUE(F);
  EXPECT_EQ(F->getType(), Float);
  EXPECT_EQ(F->getValueAPF().convertToFloat(), -3.0f);

  auto *NegZero = dyn_cast_or_null<ConstantFP>(build("-0.0", Double));
  ASSERT_TRUE(NegZero);
  EXPECT_TRUE(NegZero->isNegativeZeroValue());

  // Inexact is fine: 0.1 means the nearest float.
  auto *Tenth = dyn_cast_or_null<ConstantFP>(build("0.1", Float));
  ASSERT_TRUE(Tenth);
  EXPECT_EQ(Tenth->getValueAPF().convertToFloat(), 0.1f);

  for (Type *Ty : {Half, FP128, X86FP80}) {
    auto *C = dyn_cast_or_null<ConstantFP>(build("1e3", Ty));
    ASSERT_TRUE(C);
    EXPECT_EQ(C->getType(), Ty);
  }
}

TEST_F(ErrorConstantTest, FloatingPointRefusals) {
  EXPECT_EQ(refusal("1e39", Float),
            "error value '1e39' does not fit return type 'float'");
  EXPECT_EQ(refusal("100000", Half),
            "error value '100000' does not fit return type 'half'");
  EXPECT_EQ(refusal("null", Double),
            "error value 'null' does not fit return type 'double'");
  EXPECT_EQ(refusal("true", Double),
            "error value 'true' does not fit return type 'double'");
}

TEST_F(ErrorConstantTest, UnrepresentableTypes) {
  EXPECT_EQ(refusal("-1", Void),
            "function returns void; remove the `error` key");
  Type *Pair = StructType::get(Ctx, {I32, Ptr});
  EXPECT_EQ(refusal("0", Pair),
            "cannot express an error value for return type '{ i32, ptr }'; "
            "wrap the function or return a scalar");
  EXPECT_EQ(refusal("0", ArrayType::get(I8, 4)),
            "cannot express an error value for return type '[4 x i8]'; wrap "
            "the function or return a scalar");
  EXPECT_EQ(refusal("0", FixedVectorType::get(I32, 4)),
            "cannot express an error value for return type '<4 x i32>'; wrap "
            "the function or return a scalar");
}

TEST_F(ErrorConstantTest, ValuesFromAFile) {
  AnnotationFile F = parseOrFail("domains:\n"
                                 "  - function: kv_get\n"
                                 "    kind: basic\n"
                                 "    error: -1\n");
  ASSERT_EQ(F.Domains.size(), 1u);
  const ErrorValue &V = *F.Domains[0].Error;
  Expected<Constant *> C = buildErrorConstant(V, Ptr);
  ASSERT_FALSE(bool(C));
  // This is how the pass words it: location from the file, text from here.
  EXPECT_EQ(F.location(V.Pos) + ": " + toString(C.takeError()),
            "test.yaml:4:12: error value '-1' does not fit return type 'ptr'");
}

} // namespace
