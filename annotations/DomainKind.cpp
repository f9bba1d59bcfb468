//===- DomainKind.cpp - spelling of domain kinds in annotation files ------===//
//
// Maps DomainKind to and from the words used in annotation files.  Kept apart
// from the YAML parser because the passes also print kinds in diagnostics.
//
//===----------------------------------------------------------------------===//

#include "akeso/Annotations.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"

using namespace llvm;

namespace akeso {

StringRef domainKindName(DomainKind Kind) {
  switch (Kind) {
  case DomainKind::Basic:
    return "basic";
  case DomainKind::Reversible:
    return "reversible";
  case DomainKind::Transparent:
    return "transparent";
  case DomainKind::Unlogged:
    return "unlogged";
  }
  llvm_unreachable("invalid DomainKind");
}

std::optional<DomainKind> parseDomainKind(StringRef Name) {
  return StringSwitch<std::optional<DomainKind>>(Name)
      .Case("basic", DomainKind::Basic)
      .Case("reversible", DomainKind::Reversible)
      .Case("transparent", DomainKind::Transparent)
      .Case("unlogged", DomainKind::Unlogged)
      .Default(std::nullopt);
}

} // namespace akeso
