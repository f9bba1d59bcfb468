//===- Annotations.cpp - reading annotation files -------------------------===//
//
// Turns the YAML text of an annotation file into an AnnotationFile.  The file
// is walked with LLVM's streaming YAML node API rather than YAMLTraits so that
// every problem can be reported with its own line and column, and so that one
// pass over a file reports all of its problems instead of stopping at the
// first: a user fixing a long file should not have to rebuild once per typo.
//
//===----------------------------------------------------------------------===//

#include "akeso/Annotations.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <algorithm>
#include <tuple>

using namespace llvm;

namespace akeso {
namespace {

constexpr StringLiteral EntryKeys = "function, kind, error, inverse";

struct Problem {
  SourcePos Pos;
  std::string Message;
  /// Set for "this is not the right kind of node" about a collection: the
  /// YAML parser hands out collections before reading them, so if the file
  /// turns out to be broken further on, the collection may be an artifact
  /// of the breakage (an unclosed `[`) rather than what the user meant.
  bool DependsOnLaterSyntax = false;
};

/// File order; problems at the same position keep the order they were found.
bool comesBefore(const std::pair<const Problem *, size_t> &A,
                 const std::pair<const Problem *, size_t> &B) {
  return std::tuple(A.first->Pos.Line, A.first->Pos.Column, A.second) <
         std::tuple(B.first->Pos.Line, B.first->Pos.Column, B.second);
}

/// One parse of one buffer.  Problems are collected rather than returned so
/// that the walk can go on after each and find the next.
class AnnotationParser {
public:
  AnnotationParser(StringRef Buffer, StringRef Path)
      : Buffer(Buffer), Path(Path.str()) {
    SM.setDiagHandler(&AnnotationParser::onYAMLDiagnostic, this);
  }

  Expected<AnnotationFile> run();

private:
  static void onYAMLDiagnostic(const SMDiagnostic &D, void *Context);

  SourcePos posOf(SMLoc Loc) const;
  /// Position of \p N, or \p Fallback when \p N has none (an empty value).
  SourcePos posOf(yaml::Node *N, SourcePos Fallback = {}) const;
  void error(SourcePos Pos, const Twine &Message);
  /// Reports that \p N, at \p Pos, is the wrong kind of node.
  void shapeError(yaml::Node *N, SourcePos Pos, const Twine &Message);

  /// The text of a key, or nothing (after reporting) if it is not a scalar.
  std::optional<std::string> keyName(yaml::KeyValueNode &KV);
  /// The text of a scalar value; an empty value reads as "".  Returns
  /// nothing for collections and aliases.
  static std::optional<std::string> scalarText(yaml::Node *N);

  void parseTopLevel(yaml::Node *Root);
  void parseDomains(yaml::Node *N);
  void parseEntry(yaml::Node *N);

  StringRef Buffer;
  std::string Path;
  SourceMgr SM;
  yaml::Stream *YAML = nullptr;
  std::vector<Problem> SyntaxProblems;
  std::vector<Problem> Problems;
  AnnotationFile Result;
  /// Where each exact `function` value was first listed.
  StringMap<SourcePos> FirstListing;
};

void AnnotationParser::onYAMLDiagnostic(const SMDiagnostic &D, void *Context) {
  auto *P = static_cast<AnnotationParser *>(Context);
  // SMDiagnostic columns are 0-based; ours are 1-based like clang's.
  P->SyntaxProblems.push_back(
      {SourcePos{unsigned(std::max(D.getLineNo(), 0)),
                 unsigned(std::max(D.getColumnNo(), 0)) + 1},
       ("invalid YAML: " + D.getMessage()).str()});
}

SourcePos AnnotationParser::posOf(SMLoc Loc) const {
  if (!Loc.isValid())
    return {};
  auto [Line, Column] = SM.getLineAndColumn(Loc);
  return {Line, Column};
}

SourcePos AnnotationParser::posOf(yaml::Node *N, SourcePos Fallback) const {
  if (!N || isa<yaml::NullNode>(N))
    return Fallback; // an empty value has no text of its own
  SMLoc Start = N->getSourceRange().Start;
  // The YAML parser gives an alias the range of the token after it, but its
  // name points into the buffer just past the `*`.
  if (auto *Alias = dyn_cast<yaml::AliasNode>(N)) {
    StringRef Name = Alias->getName();
    if (Name.begin() <= Buffer.begin() || Name.begin() > Buffer.end())
      return Fallback;
    Start = SMLoc::getFromPointer(Name.begin() - 1);
  }
  // Flow collections start after their bracket; point at the bracket, where
  // the user sees the value begin.
  const char *P = Start.getPointer();
  if (P && P > Buffer.begin() && P <= Buffer.end() &&
      (P[-1] == '[' || P[-1] == '{') &&
      isa<yaml::MappingNode, yaml::SequenceNode>(N))
    Start = SMLoc::getFromPointer(P - 1);
  SourcePos Pos = posOf(Start);
  return Pos.isValid() ? Pos : Fallback;
}

void AnnotationParser::error(SourcePos Pos, const Twine &Message) {
  Problems.push_back({Pos, Message.str()});
}

void AnnotationParser::shapeError(yaml::Node *N, SourcePos Pos,
                                  const Twine &Message) {
  error(Pos, Message);
  Problems.back().DependsOnLaterSyntax =
      isa_and_nonnull<yaml::MappingNode, yaml::SequenceNode>(N);
}

std::optional<std::string> AnnotationParser::keyName(yaml::KeyValueNode &KV) {
  yaml::Node *Key = KV.getKey();
  if (auto *Scalar = dyn_cast_or_null<yaml::ScalarNode>(Key)) {
    SmallString<32> Storage;
    return Scalar->getValue(Storage).str();
  }
  // A null key means the YAML parser failed and has said so already.
  if (Key && !YAML->failed())
    shapeError(Key, posOf(Key), "expected a plain key");
  return std::nullopt;
}

std::optional<std::string> AnnotationParser::scalarText(yaml::Node *N) {
  if (!N || isa<yaml::NullNode>(N))
    return std::string();
  if (auto *Scalar = dyn_cast<yaml::ScalarNode>(N)) {
    SmallString<64> Storage;
    return Scalar->getValue(Storage).str();
  }
  return std::nullopt;
}

void AnnotationParser::parseTopLevel(yaml::Node *Root) {
  // An empty file, or one holding only comments, declares no domains.
  if (!Root || isa<yaml::NullNode>(Root))
    return;
  auto *Map = dyn_cast<yaml::MappingNode>(Root);
  if (!Map) {
    shapeError(Root, posOf(Root, {1, 1}),
               "expected a mapping with the key 'domains' at the top level");
    return;
  }
  std::optional<SourcePos> DomainsPos;
  bool SawUnknownKey = false;
  for (yaml::KeyValueNode &KV : *Map) {
    std::optional<std::string> Name = keyName(KV);
    if (!Name)
      continue;
    SourcePos KeyPos = posOf(KV.getKey());
    if (*Name != "domains") {
      error(KeyPos,
            "unknown top-level key '" + *Name + "'; expected 'domains'");
      SawUnknownKey = true;
      continue;
    }
    if (DomainsPos) {
      error(KeyPos, "duplicate key 'domains'; first given at line " +
                        Twine(DomainsPos->Line));
      continue;
    }
    DomainsPos = KeyPos;
    parseDomains(KV.getValue());
  }
  // A misspelt key has been reported; saying 'domains' is missing as well
  // would only repeat it.
  if (!DomainsPos && !SawUnknownKey && !YAML->failed())
    error(posOf(Map, {1, 1}), "missing required key 'domains'");
}

void AnnotationParser::parseDomains(yaml::Node *N) {
  // `domains:` with nothing after it is as empty as `domains: []`.
  if (!N || isa<yaml::NullNode>(N))
    return;
  auto *Seq = dyn_cast<yaml::SequenceNode>(N);
  if (!Seq) {
    shapeError(N, posOf(N),
               "expected a sequence of domain entries under 'domains'");
    return;
  }
  for (yaml::Node &Entry : *Seq)
    parseEntry(&Entry);
}

void AnnotationParser::parseEntry(yaml::Node *N) {
  auto *Map = dyn_cast_or_null<yaml::MappingNode>(N);
  if (!Map) {
    if (N && !YAML->failed())
      shapeError(N, posOf(N),
                 Twine("expected a domain entry: a mapping with the keys ") +
                     EntryKeys);
    return;
  }
  SourcePos EntryPos = posOf(Map);
  DomainAnnotation D;
  bool Valid = true;
  bool HasFunction = false;
  std::optional<DomainKind> Kind;
  bool KindGiven = false;
  SourcePos InversePos;
  StringMap<SourcePos> SeenKeys;

  for (yaml::KeyValueNode &KV : *Map) {
    std::optional<std::string> Name = keyName(KV);
    if (!Name) {
      Valid = false;
      continue;
    }
    SourcePos KeyPos = posOf(KV.getKey());
    auto [Seen, IsNew] = SeenKeys.try_emplace(*Name, KeyPos);
    if (!IsNew) {
      error(KeyPos, "duplicate key '" + *Name + "'; first given at line " +
                        Twine(Seen->second.Line));
      Valid = false;
      continue;
    }

    bool IsKnownKey = *Name == "function" || *Name == "kind" ||
                      *Name == "error" || *Name == "inverse";
    if (!IsKnownKey) {
      error(KeyPos,
            "unknown key '" + *Name + "'; expected one of: " + EntryKeys);
      Valid = false;
      continue;
    }

    yaml::Node *Value = KV.getValue();
    SourcePos ValuePos = posOf(Value, KeyPos);
    std::optional<std::string> Text = scalarText(Value);
    if (!Text) {
      if (YAML->failed()) {
        Valid = false;
        continue;
      }
      // `*` starts an alias and `[`/`{` a flow collection, so an unquoted
      // glob is the likeliest way to get here with `function`.
      if (*Name == "function")
        shapeError(Value, ValuePos,
                   "expected a function name or glob; quote patterns "
                   "that start with '*', '[' or '{'");
      else
        shapeError(Value, ValuePos,
                   "expected a scalar value for '" + *Name + "'");
      Valid = false;
      if (*Name == "function")
        HasFunction = true;
      else if (*Name == "kind")
        KindGiven = true;
      continue;
    }

    if (*Name == "function") {
      HasFunction = true;
      D.Pos = KeyPos;
      if (Text->empty()) {
        error(ValuePos, "expected a non-empty function name or glob");
        Valid = false;
        continue;
      }
      D.Function = *Text;
      D.IsGlob = FunctionGlob::isGlob(*Text);
      if (!D.IsGlob)
        continue;
      Expected<std::shared_ptr<const FunctionGlob>> Glob =
          FunctionGlob::create(*Text);
      if (!Glob) {
        error(ValuePos, "invalid glob pattern '" + *Text +
                            "': " + toString(Glob.takeError()));
        Valid = false;
        continue;
      }
      D.Glob = std::move(*Glob);
    } else if (*Name == "kind") {
      KindGiven = true;
      D.KindPos = ValuePos;
      Kind = parseDomainKind(*Text);
      if (!Kind) {
        error(ValuePos, "unknown domain kind '" + *Text +
                            "'; expected basic, reversible, transparent or "
                            "unlogged");
        Valid = false;
      }
    } else if (*Name == "error") {
      D.Error = parseErrorValue(*Text);
      if (!D.Error) {
        error(ValuePos, "invalid error value '" + *Text +
                            "'; expected an integer, a floating-point number, "
                            "null, true or false");
        Valid = false;
        continue;
      }
      D.Error->Pos = ValuePos;
    } else {
      InversePos = ValuePos;
      D.Inverse = parseInverseSpec(*Text);
      if (!D.Inverse) {
        error(ValuePos, "malformed inverse '" + *Text +
                            "'; expected callee(args) where each arg is ret "
                            "or argN");
        Valid = false;
        continue;
      }
      D.Inverse->Pos = ValuePos;
    }
  }

  // After a syntax error the mapping may have been cut short, so what looks
  // missing may just be unparsed.
  if (YAML->failed())
    return;

  if (!HasFunction) {
    error(EntryPos, "missing required key 'function'");
    Valid = false;
  }
  if (!KindGiven) {
    error(EntryPos, "missing required key 'kind'");
    Valid = false;
  }
  if (Kind) {
    D.Kind = *Kind;
    // A fault inside an unlogged domain is fatal (004 Table 1: "abort"), so
    // the wrapper never has a landing pad to return an error value from.
    if (*Kind == DomainKind::Unlogged && D.Error) {
      error(D.Error->Pos,
            "an unlogged domain is never rolled back, so its error value "
            "would never be used; remove the `error` key");
      Valid = false;
    }
    // An inverse undoes a domain that committed on its own; basic and
    // transparent domains are undone by the log instead.
    if (InversePos.isValid() &&
        (*Kind == DomainKind::Basic || *Kind == DomainKind::Transparent)) {
      error(InversePos, "inverse is only allowed on reversible and unlogged "
                        "domains; this domain is " +
                            domainKindName(*Kind));
      Valid = false;
    }
  }
  if (!D.Function.empty()) {
    auto [First, IsNew] = FirstListing.try_emplace(D.Function, D.Pos);
    if (!IsNew) {
      error(D.Pos, "duplicate entry for function '" + D.Function +
                       "'; first listed at line " + Twine(First->second.Line));
      Valid = false;
    }
  }
  if (Valid)
    Result.Domains.push_back(std::move(D));
}

Expected<AnnotationFile> AnnotationParser::run() {
  Result.Path = Path;
  yaml::Stream Stream(MemoryBufferRef(Buffer, Path), SM);
  YAML = &Stream;
  unsigned Documents = 0;
  for (yaml::document_iterator It = Stream.begin(), End = Stream.end();
       It != End; ++It) {
    yaml::Node *Root = It->getRoot();
    if (Documents++ == 0)
      parseTopLevel(Root);
    else if (!Stream.failed())
      error(posOf(Root, {1, 1}),
            "an annotation file holds a single YAML document");
    if (Stream.failed())
      break;
  }
  YAML = nullptr;

  // Once the YAML is broken, what the walk made of the lines from there on,
  // and of collections still open there, is guesswork; keep only the
  // problems that stand regardless.
  if (!SyntaxProblems.empty()) {
    unsigned BrokenLine = SyntaxProblems.front().Pos.Line;
    llvm::erase_if(Problems, [BrokenLine](const Problem &P) {
      return P.DependsOnLaterSyntax || P.Pos.Line >= BrokenLine;
    });
    llvm::append_range(Problems, SyntaxProblems);
  }
  if (Problems.empty())
    return std::move(Result);

  std::vector<std::pair<const Problem *, size_t>> Ordered;
  for (const Problem &P : Problems)
    Ordered.emplace_back(&P, Ordered.size());
  llvm::sort(Ordered, comesBefore);
  std::string Message;
  for (const auto &[P, Index] : Ordered) {
    if (!Message.empty())
      Message += '\n';
    Message += Result.location(P->Pos) + ": error: " + P->Message;
  }
  return createStringError(inconvertibleErrorCode(), Message);
}

} // namespace

Expected<AnnotationFile> parseAnnotationBuffer(StringRef Buffer,
                                               StringRef Path) {
  return AnnotationParser(Buffer, Path).run();
}

Expected<AnnotationFile> parseAnnotationFile(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> File =
      MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!File)
    return createStringError(File.getError(),
                             "error: cannot read annotation file '" + Path +
                                 "': " + File.getError().message());
  return parseAnnotationBuffer((*File)->getBuffer(), Path);
}

} // namespace akeso
