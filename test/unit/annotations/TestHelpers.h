//===- TestHelpers.h - shared helpers of the annotation unit tests --------===//
//
// Turns Expected results into strings and values that gtest can compare,
// so each test reads as input and expected diagnostics.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_TEST_UNIT_ANNOTATIONS_TESTHELPERS_H
#define AKESO_TEST_UNIT_ANNOTATIONS_TESTHELPERS_H

#include "akeso/Annotations.h"

#include "llvm/Support/Error.h"

#include "gtest/gtest.h"

#include <string>

namespace akeso::test {

/// The message of a failed \p E, or "" if it succeeded (its value is
/// dropped).
template <typename T> std::string errorText(llvm::Expected<T> E) {
  if (E)
    return "";
  return llvm::toString(E.takeError());
}

/// Parses \p Text as "test.yaml", failing the test (with the diagnostics)
/// if that does not succeed.
inline AnnotationFile parseOrFail(llvm::StringRef Text) {
  llvm::Expected<AnnotationFile> F = parseAnnotationBuffer(Text, "test.yaml");
  if (!F) {
    ADD_FAILURE() << "unexpected parse failure:\n"
                  << llvm::toString(F.takeError());
    return AnnotationFile();
  }
  return std::move(*F);
}

/// The diagnostics of parsing \p Text as "test.yaml", "" if it parsed.
inline std::string parseErrors(llvm::StringRef Text) {
  return errorText(parseAnnotationBuffer(Text, "test.yaml"));
}

/// Passes if \p Haystack contains \p Needle; on failure shows both, which
/// for diagnostics is the whole report.
inline ::testing::AssertionResult assertContains(const char *HaystackExpr,
                                                 const char *NeedleExpr,
                                                 llvm::StringRef Haystack,
                                                 llvm::StringRef Needle) {
  if (Haystack.contains(Needle))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << HaystackExpr << " does not contain " << NeedleExpr
         << "\n  text: " << Haystack.str() << "\n  wanted: " << Needle.str();
}

#define EXPECT_CONTAINS(Haystack, Needle)                                      \
  EXPECT_PRED_FORMAT2(::akeso::test::assertContains, Haystack, Needle)

/// How many diagnostic lines \p Errors holds.
inline size_t countLines(llvm::StringRef Errors) {
  return Errors.empty() ? 0 : Errors.count('\n') + 1;
}

} // namespace akeso::test

#endif // AKESO_TEST_UNIT_ANNOTATIONS_TESTHELPERS_H
