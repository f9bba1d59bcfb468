//===- ParseErrorsTest.cpp - diagnostics for malformed annotation files ---===//
//
// Each rule of the format gets a file breaking it, and the diagnostic must
// name the right file:line:col and say what was expected.  Together they pin
// down the messages users see, and that a file's problems are reported all
// at once.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

using namespace akeso;
using namespace akeso::test;
using llvm::StringRef;

namespace {

TEST(ParseErrorsTest, MissingFile) {
  std::string Errors =
      errorText(parseAnnotationFile("/nonexistent/akeso/kvd.yaml"));
  EXPECT_CONTAINS(Errors, "cannot read annotation file "
                          "'/nonexistent/akeso/kvd.yaml': ");
  EXPECT_CONTAINS(Errors, "o such file or directory");
}

TEST(ParseErrorsTest, YAMLSyntaxErrorHasPosition) {
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: f\n"
                                   "    kind: [basic\n");
  EXPECT_CONTAINS(Errors, "test.yaml:3:");
  EXPECT_CONTAINS(Errors, "error: invalid YAML: ");
}

TEST(ParseErrorsTest, ProblemsBeforeASyntaxErrorAreKept) {
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: f\n"
                                   "    kind: bogus\n"
                                   "  - function: g\n"
                                   "    kind: 'basic\n");
  EXPECT_CONTAINS(Errors, "test.yaml:3:11: error: unknown domain kind");
  EXPECT_CONTAINS(Errors, "test.yaml:5:");
  EXPECT_EQ(countLines(Errors), 2u) << Errors;
}

TEST(ParseErrorsTest, UnclosedBracketIsOnlyASyntaxError) {
  // `[basic` opens a sequence that swallows the rest of the file; complaining
  // that `kind` is not a scalar would send the user after the wrong fix.
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: f\n"
                                   "    kind: [basic\n"
                                   "  - function: g\n"
                                   "    kind: basic\n");
  EXPECT_CONTAINS(Errors, "error: invalid YAML: ");
  EXPECT_EQ(countLines(Errors), 1u) << Errors;
}

TEST(ParseErrorsTest, DirectoryIsNotAFile) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("akeso-annotations", Dir));
  std::string Errors = errorText(parseAnnotationFile(Dir));
  llvm::sys::fs::remove(Dir);
  EXPECT_CONTAINS(Errors,
                  ("error: cannot read annotation file '" + Dir + "': ").str());
}

TEST(ParseErrorsTest, TopLevelMustBeAMapping) {
  EXPECT_CONTAINS(parseErrors("- function: f\n  kind: basic\n"),
                  "test.yaml:1:1: error: expected a mapping with the "
                  "key 'domains' at the top level");
  EXPECT_CONTAINS(parseErrors("just words\n"),
                  "test.yaml:1:1: error: expected a mapping");
}

TEST(ParseErrorsTest, UnknownTopLevelKey) {
  std::string Errors = parseErrors("domains: []\n"
                                   "version: 2\n");
  EXPECT_CONTAINS(Errors, "test.yaml:2:1: error: unknown top-level key "
                          "'version'; expected 'domains'");
  EXPECT_EQ(countLines(Errors), 1u) << Errors;
}

TEST(ParseErrorsTest, MisspeltDomainsIsReportedOnce) {
  std::string Errors = parseErrors("domain: []\n");
  EXPECT_CONTAINS(Errors, "test.yaml:1:1: error: unknown top-level key "
                          "'domain'; expected 'domains'");
  EXPECT_EQ(countLines(Errors), 1u) << Errors;
}

TEST(ParseErrorsTest, MissingDomainsKey) {
  EXPECT_CONTAINS(parseErrors("{}\n"),
                  "test.yaml:1:1: error: missing required key "
                  "'domains'");
}

TEST(ParseErrorsTest, DomainsMustBeASequence) {
  EXPECT_CONTAINS(parseErrors("domains:\n  function: f\n"),
                  "test.yaml:2:3: error: expected a sequence of domain "
                  "entries under 'domains'");
}

TEST(ParseErrorsTest, DuplicateTopLevelKey) {
  EXPECT_CONTAINS(parseErrors("domains: []\ndomains: []\n"),
                  "test.yaml:2:1: error: duplicate key 'domains'; "
                  "first given at line 1");
}

TEST(ParseErrorsTest, SecondDocumentIsRejected) {
  EXPECT_CONTAINS(parseErrors("domains: []\n---\ndomains: []\n"),
                  "test.yaml:3:1: error: an annotation file holds a "
                  "single YAML document");
}

TEST(ParseErrorsTest, EntryMustBeAMapping) {
  EXPECT_CONTAINS(parseErrors("domains:\n  - handle_request\n"),
                  "test.yaml:2:5: error: expected a domain entry: a "
                  "mapping with the keys function, kind, error, "
                  "inverse");
}

TEST(ParseErrorsTest, UnknownEntryKey) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: f\n"
                              "    kind: basic\n"
                              "    retries: 3\n"),
                  "test.yaml:4:5: error: unknown key 'retries'; "
                  "expected one of: function, kind, error, inverse");
}

TEST(ParseErrorsTest, DuplicateEntryKey) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: f\n"
                              "    kind: basic\n"
                              "    kind: unlogged\n"),
                  "test.yaml:4:5: error: duplicate key 'kind'; first "
                  "given at line 3");
}

TEST(ParseErrorsTest, MissingRequiredKeys) {
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: f\n"
                                   "  - kind: basic\n");
  EXPECT_CONTAINS(Errors, "test.yaml:2:5: error: missing required key 'kind'");
  EXPECT_CONTAINS(Errors, "test.yaml:3:5: error: missing required key "
                          "'function'");
  EXPECT_EQ(countLines(Errors), 2u) << Errors;
}

TEST(ParseErrorsTest, UnknownKind) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: f\n"
                              "    kind: Basic\n"),
                  "test.yaml:3:11: error: unknown domain kind 'Basic'; "
                  "expected basic, reversible, transparent or "
                  "unlogged");
}

TEST(ParseErrorsTest, EmptyKind) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: f\n"
                              "    kind:\n"),
                  "test.yaml:3:5: error: unknown domain kind ''");
}

TEST(ParseErrorsTest, EmptyFunction) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: ''\n"
                              "    kind: basic\n"),
                  "test.yaml:2:15: error: expected a non-empty function "
                  "name or glob");
}

TEST(ParseErrorsTest, UnquotedGlobGetsAHint) {
  // `*f` is a YAML alias, not a string; the hint says what to do.
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: *f\n"
                              "    kind: basic\n"),
                  "test.yaml:2:15: error: expected a function name or "
                  "glob; quote patterns that start with '*'");
}

TEST(ParseErrorsTest, NonScalarValue) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: f\n"
                              "    kind: [basic]\n"),
                  "test.yaml:3:11: error: expected a scalar value for "
                  "'kind'");
}

TEST(ParseErrorsTest, BadGlob) {
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: 'f[a-'\n"
                                   "    kind: basic\n");
  EXPECT_CONTAINS(Errors,
                  "test.yaml:2:15: error: invalid glob pattern 'f[a-': ");
  EXPECT_EQ(countLines(Errors), 1u) << Errors;
}

TEST(ParseErrorsTest, InvalidErrorValues) {
  // A bare `-` would be a YAML sequence; SyntaxTest covers it.
  for (StringRef Bad : {"0x", "1.2.3", "NULL", "True", "~", "abc", "1e", "0xg1",
                        "--1", "'1 '"}) {
    SCOPED_TRACE(Bad.str());
    std::string Errors = parseErrors(("domains:\n"
                                      "  - function: f\n"
                                      "    kind: basic\n"
                                      "    error: " +
                                      Bad + "\n")
                                         .str());
    EXPECT_CONTAINS(Errors, "test.yaml:4:12: error: invalid error value "
                            "'");
    EXPECT_CONTAINS(Errors, "'; expected an integer, a floating-point "
                            "number, null, true or false");
  }
}

TEST(ParseErrorsTest, MalformedInverse) {
  for (StringRef Bad : {"kv_free", "kv_free(", "kv_free(x)", "kv_free(arg)",
                        "kv_free(ret,)", "kv_free(ret arg0)", "1f(ret)",
                        "kv_free(ret) extra", "(ret)", "kv_free(arg-1)"}) {
    SCOPED_TRACE(Bad.str());
    std::string Errors = parseErrors(("domains:\n"
                                      "  - function: f\n"
                                      "    kind: reversible\n"
                                      "    inverse: '" +
                                      Bad + "'\n")
                                         .str());
    EXPECT_CONTAINS(Errors,
                    ("test.yaml:4:14: error: malformed inverse '" + Bad +
                     "'; expected callee(args) where each arg "
                     "is ret or argN")
                        .str());
    EXPECT_EQ(countLines(Errors), 1u) << Errors;
  }
}

TEST(ParseErrorsTest, InverseOnlyOnReversibleAndUnlogged) {
  for (StringRef Kind : {"basic", "transparent"}) {
    SCOPED_TRACE(Kind.str());
    std::string Errors = parseErrors(("domains:\n"
                                      "  - function: f\n"
                                      "    inverse: g(ret)\n"
                                      "    kind: " +
                                      Kind + "\n")
                                         .str());
    EXPECT_CONTAINS(Errors, "test.yaml:3:14: error: inverse is only "
                            "allowed on reversible and unlogged "
                            "domains");
  }
  for (StringRef Kind : {"reversible", "unlogged"}) {
    SCOPED_TRACE(Kind.str());
    EXPECT_EQ(parseErrors(("domains:\n"
                           "  - function: f\n"
                           "    inverse: g(ret)\n"
                           "    kind: " +
                           Kind + "\n")
                              .str()),
              "");
  }
}

TEST(ParseErrorsTest, UnloggedDomainTakesNoError) {
  // A fault inside an unlogged domain is fatal: nothing would return the
  // value.  Reported at the value, once, with the entry dropped.
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: f\n"
                                   "    kind: unlogged\n"
                                   "    error: -1\n");
  EXPECT_CONTAINS(Errors, "test.yaml:4:12: error: an unlogged domain is "
                          "never rolled back, so its error value would "
                          "never be used; remove the `error` key");
  EXPECT_EQ(countLines(Errors), 1u) << Errors;
  // The other kinds take one; a malformed value is reported as such only.
  for (StringRef Kind : {"basic", "reversible", "transparent"}) {
    SCOPED_TRACE(Kind.str());
    EXPECT_EQ(parseErrors(("domains:\n"
                           "  - function: f\n"
                           "    kind: " +
                           Kind + "\n    error: -1\n")
                              .str()),
              "");
  }
  Errors = parseErrors("domains:\n"
                       "  - function: f\n"
                       "    error: lots\n"
                       "    kind: unlogged\n");
  EXPECT_CONTAINS(Errors, "test.yaml:3:12: error: invalid error value");
  EXPECT_EQ(countLines(Errors), 1u) << Errors;
}

TEST(ParseErrorsTest, DuplicateFunction) {
  EXPECT_CONTAINS(parseErrors("domains:\n"
                              "  - function: f\n"
                              "    kind: basic\n"
                              "  - function: g\n"
                              "    kind: basic\n"
                              "  - function: f\n"
                              "    kind: unlogged\n"),
                  "test.yaml:6:5: error: duplicate entry for function "
                  "'f'; first listed at line 2");
}

TEST(ParseErrorsTest, AllProblemsAreReportedInFileOrder) {
  std::string Errors = parseErrors("domains:\n"
                                   "  - function: f\n"
                                   "    kind: sometimes\n"
                                   "    error: minus one\n"
                                   "  - function: g\n"
                                   "    colour: blue\n"
                                   "  - function: f\n"
                                   "    kind: basic\n"
                                   "    inverse: undo_f(ret)\n"
                                   "flags: []\n");
  std::vector<std::string> Expected = {
      "test.yaml:3:11: error: unknown domain kind 'sometimes'",
      "test.yaml:4:12: error: invalid error value 'minus one'",
      "test.yaml:5:5: error: missing required key 'kind'",
      "test.yaml:6:5: error: unknown key 'colour'",
      "test.yaml:7:5: error: duplicate entry for function 'f'",
      "test.yaml:9:14: error: inverse is only allowed",
      "test.yaml:10:1: error: unknown top-level key 'flags'",
  };
  EXPECT_EQ(countLines(Errors), Expected.size()) << Errors;
  size_t From = 0;
  for (const std::string &E : Expected) {
    size_t At = Errors.find(E, From);
    EXPECT_NE(At, std::string::npos)
        << "missing or out of order: " << E << "\nin:\n"
        << Errors;
    if (At != std::string::npos)
      From = At;
  }
}

} // namespace
