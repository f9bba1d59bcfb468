//===- MatchTest.cpp - which annotation applies to a symbol ---------------===//
//
// Annotations name functions as people write them; the pass asks with
// linkage names.  These tests pin down how the two meet (C names, Itanium
// manglings, globs) and which entry wins when several match.
//
//===----------------------------------------------------------------------===//

#include "TestHelpers.h"

using namespace akeso;
using namespace akeso::test;

namespace {

DomainAnnotation entry(llvm::StringRef Function) {
  DomainAnnotation D;
  D.Function = Function.str();
  D.IsGlob = FunctionGlob::isGlob(Function);
  return D;
}

TEST(MatchTest, NameForms) {
  EXPECT_EQ(symbolNameForms("handle_request"),
            std::vector<std::string>{"handle_request"});
  EXPECT_EQ(
      symbolNameForms("_Z14handle_requesti"),
      (std::vector<std::string>{"_Z14handle_requesti", "handle_request(int)",
                                "handle_request"}));
  EXPECT_EQ(symbolNameForms("_ZNK2ns1A1fEv"),
            (std::vector<std::string>{"_ZNK2ns1A1fEv", "ns::A::f() const",
                                      "ns::A::f"}));
  // Data symbols have no parameter list to drop.
  EXPECT_EQ(symbolNameForms("_ZN2ns1xE"),
            (std::vector<std::string>{"_ZN2ns1xE", "ns::x"}));
}

TEST(MatchTest, ExactNames) {
  DomainAnnotation D = entry("handle_request");
  EXPECT_TRUE(D.matches("handle_request"));
  EXPECT_TRUE(D.matches("_Z14handle_requesti"));
  EXPECT_FALSE(D.matches("handle_request2"));
  EXPECT_FALSE(D.matches("_Z15handle_request2i"));
  EXPECT_FALSE(D.matches("_ZN2ns14handle_requestEi"));

  EXPECT_TRUE(entry("ns::handle_request").matches("_ZN2ns14handle_requestEi"));
  EXPECT_TRUE(
      entry("ns::handle_request(int)").matches("_ZN2ns14handle_requestEi"));
  EXPECT_TRUE(
      entry("_ZN2ns14handle_requestEi").matches("_ZN2ns14handle_requestEi"));
}

TEST(MatchTest, Globs) {
  DomainAnnotation Ns = entry("ns::*");
  EXPECT_TRUE(Ns.IsGlob);
  EXPECT_TRUE(Ns.matches("_ZN2ns3fooEv"));
  EXPECT_TRUE(Ns.matches("_ZN2ns5inner3barEi"));
  EXPECT_FALSE(Ns.matches("_ZN3ns23fooEv"));
  EXPECT_FALSE(Ns.matches("foo"));

  DomainAnnotation Prefix = entry("kv_*");
  EXPECT_TRUE(Prefix.matches("kv_alloc"));
  EXPECT_TRUE(Prefix.matches("_Z6kv_getPKc"));
  EXPECT_FALSE(Prefix.matches("xkv_alloc"));

  EXPECT_TRUE(entry("get_?").matches("get_x"));
  EXPECT_FALSE(entry("get_?").matches("get_xy"));
  EXPECT_TRUE(entry("op[a-c]").matches("opb"));
  EXPECT_FALSE(entry("op[a-c]").matches("opd"));
  EXPECT_TRUE(entry("{read,write}_block").matches("write_block"));
  EXPECT_FALSE(entry("{read,write}_block").matches("erase_block"));
}

TEST(MatchTest, BadGlobMatchesNothing) {
  EXPECT_FALSE(entry("f[").matches("f["));
}

AnnotationFile fileOf(std::initializer_list<llvm::StringRef> Functions) {
  std::string Text = "domains:\n";
  for (llvm::StringRef F : Functions)
    Text += "  - {function: '" + F.str() + "', kind: basic}\n";
  return parseOrFail(Text);
}

TEST(MatchTest, LookupPrefersExactNamesThenFileOrder) {
  AnnotationFile F =
      fileOf({"handle_*", "*", "handle_request", "ns::*", "ns::foo"});
  ASSERT_EQ(F.Domains.size(), 5u);

  // An exact entry wins even though globs come first in the file.
  EXPECT_EQ(F.lookup("handle_request"), &F.Domains[2]);
  EXPECT_EQ(F.lookup("_Z14handle_requesti"), &F.Domains[2]);
  EXPECT_EQ(F.lookup("_ZN2ns3fooEv"), &F.Domains[4]);
  // Among globs the first in the file wins.
  EXPECT_EQ(F.lookup("handle_other"), &F.Domains[0]);
  EXPECT_EQ(F.lookup("_ZN2ns3barEv"), &F.Domains[1]);
  EXPECT_EQ(F.lookup("main"), &F.Domains[1]);
}

TEST(MatchTest, LookupWithoutMatch) {
  AnnotationFile F = fileOf({"handle_request", "kv_*"});
  EXPECT_EQ(F.lookup("main"), nullptr);
  EXPECT_EQ(F.lookup(""), nullptr);
  EXPECT_EQ(AnnotationFile().lookup("main"), nullptr);
}

} // namespace
