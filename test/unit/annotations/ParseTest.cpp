//===- ParseTest.cpp - annotation files that parse ------------------------===//
//
// Checks that valid files come back with every field and source position the
// passes rely on: kinds, globs, each form of error value and inverses of
// every arity.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/raw_ostream.h"

using namespace akeso;
using namespace akeso::test;
using llvm::StringRef;

namespace {

constexpr StringRef KvdFile = R"yaml(# kvd's recovery domains
domains:
  - function: handle_request   # a request that fails is retried
    kind: basic
    error: -1
  - function: kv_alloc
    kind: reversible
    error: null
    inverse: kv_free(ret)
  - function: "cache_*"
    kind: transparent
  - function: log_write
    kind: reversible
    error: 0x7fffffff
    inverse: log_truncate( arg0 , arg2 )
  - function: stats_reset
    kind: reversible
    inverse: stats_restore()
    error: 2.5
  - function: "{get,put}_flag"
    kind: basic
    error: true
  - function: dev_kick
    kind: unlogged
    inverse: dev_reset(arg1)
)yaml";

TEST(ParseTest, RoundTripsEveryField) {
  AnnotationFile F = parseOrFail(KvdFile);
  EXPECT_EQ(F.Path, "test.yaml");
  ASSERT_EQ(F.Domains.size(), 7u);

  const DomainAnnotation &Handle = F.Domains[0];
  EXPECT_EQ(Handle.Function, "handle_request");
  EXPECT_FALSE(Handle.IsGlob);
  EXPECT_EQ(Handle.Glob, nullptr);
  EXPECT_EQ(Handle.Kind, DomainKind::Basic);
  EXPECT_EQ(Handle.Pos, (SourcePos{3, 5}));
  EXPECT_EQ(Handle.KindPos, (SourcePos{4, 11}));
  ASSERT_TRUE(Handle.Error);
  EXPECT_EQ(Handle.Error->Form, ErrorValue::Form::Integer);
  EXPECT_EQ(Handle.Error->IntValue.getExtValue(), -1);
  EXPECT_TRUE(Handle.Error->isNegative());
  EXPECT_EQ(Handle.Error->Text, "-1");
  EXPECT_EQ(Handle.Error->Pos, (SourcePos{5, 12}));
  EXPECT_FALSE(Handle.Inverse);

  const DomainAnnotation &Alloc = F.Domains[1];
  EXPECT_EQ(Alloc.Kind, DomainKind::Reversible);
  ASSERT_TRUE(Alloc.Error);
  EXPECT_EQ(Alloc.Error->Form, ErrorValue::Form::Null);
  EXPECT_EQ(Alloc.Error->Text, "null");
  ASSERT_TRUE(Alloc.Inverse);
  EXPECT_EQ(Alloc.Inverse->Callee, "kv_free");
  ASSERT_EQ(Alloc.Inverse->Args.size(), 1u);
  EXPECT_EQ(Alloc.Inverse->Args[0].Form, InverseArg::Form::Ret);
  EXPECT_EQ(Alloc.Inverse->Text, "kv_free(ret)");
  EXPECT_EQ(Alloc.Inverse->Pos, (SourcePos{9, 14}));

  const DomainAnnotation &Cache = F.Domains[2];
  EXPECT_EQ(Cache.Function, "cache_*");
  EXPECT_TRUE(Cache.IsGlob);
  ASSERT_NE(Cache.Glob, nullptr);
  EXPECT_EQ(Cache.Glob->pattern(), "cache_*");
  EXPECT_EQ(Cache.Kind, DomainKind::Transparent);
  EXPECT_FALSE(Cache.Error);
  EXPECT_FALSE(Cache.Inverse);

  const DomainAnnotation &Log = F.Domains[3];
  EXPECT_EQ(Log.Kind, DomainKind::Reversible);
  ASSERT_TRUE(Log.Error);
  EXPECT_EQ(Log.Error->IntValue.getExtValue(), 0x7fffffff);
  ASSERT_TRUE(Log.Inverse);
  EXPECT_EQ(Log.Inverse->Callee, "log_truncate");
  ASSERT_EQ(Log.Inverse->Args.size(), 2u);
  EXPECT_EQ(Log.Inverse->Args[0], (InverseArg{InverseArg::Form::Param, 0}));
  EXPECT_EQ(Log.Inverse->Args[1], (InverseArg{InverseArg::Form::Param, 2}));

  const DomainAnnotation &Stats = F.Domains[4];
  ASSERT_TRUE(Stats.Inverse);
  EXPECT_EQ(Stats.Inverse->Callee, "stats_restore");
  EXPECT_TRUE(Stats.Inverse->Args.empty());
  ASSERT_TRUE(Stats.Error);
  EXPECT_EQ(Stats.Error->Form, ErrorValue::Form::Float);
  EXPECT_DOUBLE_EQ(Stats.Error->FloatValue, 2.5);
  EXPECT_EQ(Stats.Error->Pos, (SourcePos{19, 12}));

  const DomainAnnotation &Flag = F.Domains[5];
  EXPECT_TRUE(Flag.IsGlob);
  ASSERT_TRUE(Flag.Error);
  EXPECT_EQ(Flag.Error->Form, ErrorValue::Form::Bool);
  EXPECT_TRUE(Flag.Error->BoolValue);

  // An unlogged domain is never rolled back: no error value.
  const DomainAnnotation &Kick = F.Domains[6];
  EXPECT_EQ(Kick.Kind, DomainKind::Unlogged);
  EXPECT_FALSE(Kick.Error);
  ASSERT_TRUE(Kick.Inverse);
  EXPECT_EQ(Kick.Inverse->Callee, "dev_reset");
  ASSERT_EQ(Kick.Inverse->Args.size(), 1u);
  EXPECT_EQ(Kick.Inverse->Args[0], (InverseArg{InverseArg::Form::Param, 1}));
}

TEST(ParseTest, LocationFormatsPathLineColumn) {
  AnnotationFile F = parseOrFail(KvdFile);
  ASSERT_FALSE(F.Domains.empty());
  ASSERT_TRUE(F.Domains[0].Error);
  EXPECT_EQ(F.location(F.Domains[0].Error->Pos), "test.yaml:5:12");
}

TEST(ParseTest, EntryPositionIsItsFunctionKey) {
  // `function` need not come first; the entry is still located by it.
  AnnotationFile F = parseOrFail("domains:\n"
                                 "  - kind: basic\n"
                                 "    function: f\n");
  ASSERT_EQ(F.Domains.size(), 1u);
  EXPECT_EQ(F.Domains[0].Pos, (SourcePos{3, 5}));
}

TEST(ParseTest, EmptyFilesDeclareNoDomains) {
  for (StringRef Text : {"", "# nothing here yet\n", "domains: []\n",
                         "domains:\n", "---\ndomains: []\n"}) {
    SCOPED_TRACE(Text.str());
    AnnotationFile F = parseOrFail(Text);
    EXPECT_TRUE(F.Domains.empty());
  }
}

TEST(ParseTest, FlowStyleAndQuotedValuesAreYAML) {
  AnnotationFile F = parseOrFail(
      "domains: [{function: 'ns::*', kind: transparent, error: \"-2\"}]\n");
  ASSERT_EQ(F.Domains.size(), 1u);
  EXPECT_TRUE(F.Domains[0].IsGlob);
  ASSERT_TRUE(F.Domains[0].Error);
  EXPECT_EQ(F.Domains[0].Error->IntValue.getExtValue(), -2);
}

TEST(ParseTest, CopiedEntriesKeepWorkingGlobs) {
  // GlobPattern points into its source text; copies must not dangle.
  std::vector<DomainAnnotation> Copies;
  {
    AnnotationFile F =
        parseOrFail("domains:\n  - {function: 'ab*', kind: basic}\n");
    ASSERT_EQ(F.Domains.size(), 1u);
    for (int I = 0; I < 8; ++I)
      Copies.push_back(F.Domains[0]);
  }
  for (const DomainAnnotation &D : Copies) {
    EXPECT_TRUE(D.matches("abc"));
    EXPECT_FALSE(D.matches("xabc"));
  }
}

TEST(ParseTest, ReadsFilesFromDisk) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("akeso-annotations", "yaml", Path));
  llvm::FileRemover Remover(Path);
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    ASSERT_FALSE(EC);
    OS << KvdFile;
  }
  llvm::Expected<AnnotationFile> F = parseAnnotationFile(Path);
  ASSERT_TRUE(bool(F)) << llvm::toString(F.takeError());
  EXPECT_EQ(F->Path, Path.str());
  EXPECT_EQ(F->Domains.size(), 7u);
}

TEST(ParseTest, DiagnosticsFromDiskNameThePath) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("akeso-annotations", "yaml", Path));
  llvm::FileRemover Remover(Path);
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    ASSERT_FALSE(EC);
    OS << "domains:\n  - function: f\n    kind: sometimes\n";
  }
  std::string Errors = errorText(parseAnnotationFile(Path));
  EXPECT_NE(Errors.find((Path + ":3:11: error: unknown domain kind").str()),
            std::string::npos)
      << Errors;
}

TEST(ParseTest, DomainKindNamesRoundTrip) {
  for (DomainKind K : {DomainKind::Basic, DomainKind::Reversible,
                       DomainKind::Transparent, DomainKind::Unlogged})
    EXPECT_EQ(parseDomainKind(domainKindName(K)), K);
  EXPECT_EQ(domainKindName(DomainKind::Unlogged), "unlogged");
  EXPECT_FALSE(parseDomainKind("Basic"));
  // The values are ABI (akeso_domain_kind in akeso/akeso.h).
  EXPECT_EQ(unsigned(DomainKind::Basic), 0u);
  EXPECT_EQ(unsigned(DomainKind::Reversible), 1u);
  EXPECT_EQ(unsigned(DomainKind::Transparent), 2u);
  EXPECT_EQ(unsigned(DomainKind::Unlogged), 3u);
}

} // namespace
