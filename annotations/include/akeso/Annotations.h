//===- akeso/Annotations.h - recovery-domain annotation files ---*- C++ -*-===//
//
// The in-memory form of an akeso annotation file and the parser that builds
// it.  An annotation file is how a program names its recovery domains without
// touching its source: each entry says which function (by name or glob) is a
// domain, of which kind, what it returns when rolled back, and, for
// reversible and unlogged domains, which call undoes it.
//
// clang-format off
//   domains:
//     - function: handle_request   # exact name or llvm::GlobPattern glob
//       kind: basic                # basic|reversible|transparent|unlogged
//       error: -1                  # returned when the domain rolls back
//     - function: kv_alloc
//       kind: reversible
//       error: null
//       inverse: kv_free(ret)      # args are `ret` or `argN` (0-based)
// clang-format on
//
// An unlogged domain is never rolled back, so it takes no `error` (giving
// one is a parse error).
//
// Every parsed value keeps its source position so that diagnostics produced
// much later, when the pass sees the function's IR type, can still point at
// the line of the file the user has to fix.
//
// The library uses LLVM headers but links no LLVM library itself: it ends up
// inside a pass plugin that takes LLVM from the host opt or clang.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_ANNOTATIONS_H
#define AKESO_ANNOTATIONS_H

#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace akeso {

/// The kind of a recovery domain.  The values are ABI: they equal the C
/// enumerators of akeso_domain_kind in akeso/akeso.h, which the passes emit
/// as integers into calls to the runtime.
enum class DomainKind : unsigned {
  Basic = 0,
  Reversible = 1,
  Transparent = 2,
  Unlogged = 3
};

/// The spelling of \p Kind in annotation files: "basic", "reversible",
/// "transparent" or "unlogged".
llvm::StringRef domainKindName(DomainKind Kind);

/// The kind spelled \p Name, or nothing if \p Name is not one of the four
/// words (the comparison is case-sensitive, as in the file format).
std::optional<DomainKind> parseDomainKind(llvm::StringRef Name);

/// A 1-based line and column in an annotation file; 0 means unknown.
struct SourcePos {
  unsigned Line = 0;
  unsigned Column = 0;

  bool isValid() const { return Line != 0; }
  friend bool operator==(const SourcePos &, const SourcePos &) = default;
};

/// The value a wrapped function returns when its domain is rolled back, as
/// written in the file.  Whether it suits the function is only known once the
/// pass sees the return type (see akeso/ErrorValueIR.h).
struct ErrorValue {
  enum class Form { Integer, Float, Null, Bool } Form = Form::Null;

  /// Integer: the exact value as a signed APSInt at least 64 bits wide and
  /// one bit wider than the literal's magnitude, so 0xffffffffffffffff and -1
  /// are both exact, getExtValue() works for ordinary values, and the fit
  /// check against iN needs no special cases.
  llvm::APSInt IntValue;
  /// Float: the literal rounded to double.  The original Text is kept so
  /// other float types (half, fp128, ...) can round from the source once.
  double FloatValue = 0.0;
  /// Bool: the value of `true` / `false`.
  bool BoolValue = false;
  /// The scalar exactly as written (after YAML unquoting).
  std::string Text;
  /// Position of the value in the file.
  SourcePos Pos;

  bool isNegative() const {
    return Form == Form::Integer && IntValue.isNegative();
  }
};

/// Parses the text of an `error:` value: a decimal or 0x-hex integer
/// (optionally negative), a decimal floating literal (1.5, -0.0, 1e3),
/// `null`, `true` or `false`.  Returns nothing if \p Text is none of these.
/// The result's Pos is left unset.
std::optional<ErrorValue> parseErrorValue(llvm::StringRef Text);

/// One argument of an inverse call.
struct InverseArg {
  enum class Form { Ret, Param } Form = Form::Ret;
  /// Param: 0-based index of the wrapped function's parameter.
  unsigned Index = 0;

  friend bool operator==(const InverseArg &, const InverseArg &) = default;
};

/// The semantic inverse of a reversible or unlogged domain, e.g.
/// `kv_free(ret)`: the call that undoes the domain's effect if its parent
/// rolls back after it committed.
struct InverseSpec {
  std::string Callee;
  std::vector<InverseArg> Args;
  /// The value exactly as written.
  std::string Text;
  /// Position of the value in the file.
  SourcePos Pos;
};

/// Parses `callee(arg, ...)` where callee is a C identifier and each arg is
/// `ret` or `argN`; spaces are allowed around every token.  Returns nothing
/// if \p Text does not have that shape.  The result's Pos is left unset.
std::optional<InverseSpec> parseInverseSpec(llvm::StringRef Text);

/// The names a symbol can be matched by, in the order they are tried: the
/// symbol itself, its demangled form (if it is mangled), and the demangled
/// function name without parameter list, qualifiers and return type (e.g.
/// "_ZNK2ns1A1fEv" -> "_ZNK2ns1A1fEv", "ns::A::f() const", "ns::A::f").
/// Duplicates are dropped.  Computing this once per symbol lets a lookup try
/// many entries without demangling again for each.
std::vector<std::string> symbolNameForms(llvm::StringRef MangledName);

/// A compiled `function` glob.  llvm::GlobPattern keeps a StringRef into the
/// text it was compiled from, so the text and the pattern live together here
/// at a fixed address and entries share them through a shared_ptr; copying or
/// moving a DomainAnnotation then cannot leave the pattern dangling.
class FunctionGlob {
public:
  /// Compiles \p Pattern with brace expansion enabled; the error carries
  /// llvm::GlobPattern's explanation of a malformed pattern.
  static llvm::Expected<std::shared_ptr<const FunctionGlob>>
  create(llvm::StringRef Pattern);

  /// Whether \p Pattern contains a glob metacharacter (* ? [ {), i.e. whether
  /// a `function` value is a glob rather than an exact name.
  static bool isGlob(llvm::StringRef Pattern);

  bool match(llvm::StringRef Name) const { return Compiled.match(Name); }
  llvm::StringRef pattern() const { return Pattern; }

  FunctionGlob(const FunctionGlob &) = delete;
  FunctionGlob &operator=(const FunctionGlob &) = delete;

private:
  explicit FunctionGlob(std::string Pattern) : Pattern(std::move(Pattern)) {}

  std::string Pattern;
  /// Compiled from Pattern after it reached its final address.
  llvm::GlobPattern Compiled;
};

/// One entry of the `domains` list.
struct DomainAnnotation {
  /// The `function` value as written.
  std::string Function;
  /// Whether Function contains a glob metacharacter (* ? [ {).
  bool IsGlob = false;
  /// The compiled pattern when IsGlob.  The parser always sets it; entries
  /// built by hand may leave it null and have it compiled on each match.
  std::shared_ptr<const FunctionGlob> Glob;
  DomainKind Kind = DomainKind::Basic;
  /// Never set for unlogged domains (the parser rejects it).
  std::optional<ErrorValue> Error;
  std::optional<InverseSpec> Inverse;
  /// Position of the entry: its `function` key, wherever that is listed.
  SourcePos Pos;
  /// Position of the `kind` value.
  SourcePos KindPos;

  /// Whether this entry names the function whose symbol is \p MangledName:
  /// Function is compared (exactly, or as a glob) with every name in
  /// symbolNameForms(MangledName), so `handle_request` matches both the C
  /// symbol handle_request and the C++ symbol _Z14handle_requesti.
  bool matches(llvm::StringRef MangledName) const;

  /// As matches(), given the precomputed symbolNameForms() of the symbol.
  bool matchesAnyForm(llvm::ArrayRef<std::string> NameForms) const;
};

/// A parsed annotation file.
struct AnnotationFile {
  /// The path the file was read from (or the name given for a buffer); used
  /// as the file part of every location.
  std::string Path;
  /// The entries in file order.
  std::vector<DomainAnnotation> Domains;

  /// The entry that applies to the symbol \p MangledName, or null.  Entries
  /// naming the function exactly win over globs, so a specific entry can
  /// refine a broad pattern wherever it appears; within each group the first
  /// entry in file order wins.
  const DomainAnnotation *lookup(llvm::StringRef MangledName) const;

  /// "PATH:LINE:COL", the prefix of a diagnostic about \p Pos.
  std::string location(SourcePos Pos) const;
};

/// Reads and parses the annotation file at \p Path.  On failure the error is
/// one llvm::StringError whose message has one line per problem found, each
/// "PATH:LINE:COL: error: ..." (all problems are reported, not just the
/// first).
llvm::Expected<AnnotationFile> parseAnnotationFile(llvm::StringRef Path);

/// As parseAnnotationFile(), for the contents \p Buffer of a file named
/// \p Path.
llvm::Expected<AnnotationFile> parseAnnotationBuffer(llvm::StringRef Buffer,
                                                     llvm::StringRef Path);

} // namespace akeso

#endif // AKESO_ANNOTATIONS_H
