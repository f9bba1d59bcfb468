//===- Matching.cpp - which annotation applies to a symbol ----------------===//
//
// Annotation files name functions the way people write them (handle_request,
// ns::Server::*), while the pass sees linkage names (_Z14handle_requesti).
// Matching therefore tries the symbol, its demangled form and its bare
// qualified function name, so one entry covers C and C++ alike.
//
//===----------------------------------------------------------------------===//

#include "akeso/Annotations.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Demangle/Demangle.h"

#include <cstdlib>

using namespace llvm;

namespace akeso {
namespace {

/// Brace expansion multiplies patterns; this bounds what one entry may cost
/// per match while leaving room for any hand-written alternative list.
constexpr size_t MaxGlobSubPatterns = 1024;

/// "ns::f(int, char) const" -> "ns::f": drops the trailing balanced
/// parameter list and whatever follows it.  Used only for manglings the
/// Itanium partial demangler cannot take apart.
StringRef stripParameterList(StringRef Demangled) {
  size_t Close = Demangled.rfind(')');
  if (Close == StringRef::npos)
    return Demangled;
  unsigned Depth = 0;
  for (size_t I = Close + 1; I-- > 0;) {
    if (Demangled[I] == ')') {
      ++Depth;
    } else if (Demangled[I] == '(' && --Depth == 0) {
      StringRef Name = Demangled.take_front(I).rtrim();
      return Name.empty() ? Demangled : Name;
    }
  }
  return Demangled;
}

} // namespace

Expected<std::shared_ptr<const FunctionGlob>>
FunctionGlob::create(StringRef Pattern) {
  std::shared_ptr<FunctionGlob> Glob(new FunctionGlob(Pattern.str()));
  Expected<GlobPattern> Compiled =
      GlobPattern::create(Glob->Pattern, MaxGlobSubPatterns);
  if (!Compiled)
    return Compiled.takeError();
  Glob->Compiled = std::move(*Compiled);
  return Glob;
}

bool FunctionGlob::isGlob(StringRef Pattern) {
  return Pattern.find_first_of("*?[{") != StringRef::npos;
}

std::vector<std::string> symbolNameForms(StringRef MangledName) {
  std::vector<std::string> Forms{MangledName.str()};
  auto Add = [&Forms](std::string Form) {
    if (!Form.empty() && !is_contained(Forms, Form))
      Forms.push_back(std::move(Form));
  };

  std::string Demangled = demangle(std::string_view(MangledName));
  Add(Demangled);

  ItaniumPartialDemangler Partial;
  // partialDemangle wants a NUL-terminated string; Forms[0] is one.
  if (!Partial.partialDemangle(Forms[0].c_str())) {
    if (Partial.isFunction()) {
      size_t Size = 0;
      if (char *Name = Partial.getFunctionName(nullptr, &Size)) {
        Add(Name);
        std::free(Name);
      }
    }
  } else if (Demangled != MangledName) {
    Add(stripParameterList(Demangled).str());
  }
  return Forms;
}

bool DomainAnnotation::matchesAnyForm(ArrayRef<std::string> NameForms) const {
  if (!IsGlob)
    return is_contained(NameForms, Function);

  std::shared_ptr<const FunctionGlob> Pattern = Glob;
  if (!Pattern) {
    Expected<std::shared_ptr<const FunctionGlob>> Compiled =
        FunctionGlob::create(Function);
    if (!Compiled) {
      // A pattern that does not compile names nothing; the parser has
      // already reported it for entries that came from a file.
      consumeError(Compiled.takeError());
      return false;
    }
    Pattern = std::move(*Compiled);
  }
  return any_of(NameForms,
                [&Pattern](const std::string &N) { return Pattern->match(N); });
}

bool DomainAnnotation::matches(StringRef MangledName) const {
  return matchesAnyForm(symbolNameForms(MangledName));
}

const DomainAnnotation *AnnotationFile::lookup(StringRef MangledName) const {
  std::vector<std::string> Forms = symbolNameForms(MangledName);
  for (bool WantGlob : {false, true})
    for (const DomainAnnotation &D : Domains)
      if (D.IsGlob == WantGlob && D.matchesAnyForm(Forms))
        return &D;
  return nullptr;
}

std::string AnnotationFile::location(SourcePos Pos) const {
  return Path + ":" + std::to_string(Pos.Line) + ":" +
         std::to_string(Pos.Column);
}

} // namespace akeso
