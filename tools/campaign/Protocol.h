//===- Protocol.h - reading the runtime's recovery reports ------*- C++ -*-===//
//
// The akeso runtime reports what it does on stderr, one line per event (see
// docs/usage.md, "Runtime options", and docs/campaign.md):
//
//   akeso: inject #<n>: <kind> fault at <function> block <b> (<file>:<line>)
//          after <blocks> blocks (seed <seed>, thread <t>)[: <note>]
//   akeso: fault in domain '<name>'...: <reason>; rolled back (<w> words
//          restored, <a> undo actions run[, with <d> dependent domains])
//          [on thread <t>]
//   akeso: domain '<name>' rolled back: it depended on ...
//   akeso: completed domain '<name>' rolled back: it depended on ...
//   akeso: fault in unlogged domain ...; ... aborting
//   akeso: fault outside any recoverable domain: ...; aborting
//   akeso: fault in domain ...; aborting (AKESO_OPTIONS=on_fault=abort)
//   akeso: fault while running an undo or deferred action: ...; cannot
//          recover
//
// The parser reads a trial's stderr and keeps what the campaign needs: the
// injected faults, the recoveries, the collateral rollbacks and the message
// of a fatal fault.  Everything else (the program's own output, other
// runtime messages, statistics) is ignored; a report may start anywhere on a
// line, since the program may have left a partial line before it.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_CAMPAIGN_PROTOCOL_H
#define AKESO_CAMPAIGN_PROTOCOL_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace akeso::campaign {

/// What followed an injected fault.
enum class FaultFate {
  Recovered, ///< a rollback report ("fault in domain ... rolled back")
  Fatal,     ///< a fatal report ("... aborting"): the program stopped
  None,      ///< no report: the fault went unnoticed (or the trial ended)
};
const char *fateName(FaultFate F);

/// One "akeso: inject #n" line.  Fields the line did not carry in the
/// expected shape are left empty (Parsed is then false).
struct InjectedFault {
  uint64_t Number = 0;
  bool Parsed = false;
  std::string Kind, Function, File, Seed, Thread;
  /// Text after the site, e.g. what a corrupt fault flipped.
  std::string Note;
  uint64_t Block = 0, Line = 0, AfterBlocks = 0;
  FaultFate Fate = FaultFate::None;
  /// The domain that was rolled back for it, when Fate is Recovered.
  std::string Domain;
};

/// One "akeso: fault in domain" line.
struct Recovery {
  std::string Domain, Reason;
  uint64_t WordsRestored = 0, UndoActions = 0;
  /// Dependent domains rolled back with it, as the report counts them.
  uint64_t Dependents = 0;
  /// "on thread <t>", when the report says.
  std::string Thread;
  /// Index into Faults of the injection it answered, if any.
  std::optional<size_t> Fault;
};

struct ProtocolSummary {
  std::vector<InjectedFault> Faults;
  std::vector<Recovery> Recoveries;
  /// Domains rolled back because they depended on a faulting one.
  uint64_t Collateral = 0;
  /// Domains that performed output before they were rolled back.
  uint64_t OutputNotUndone = 0;
  /// The first fatal report, without the "akeso: " prefix.
  std::string Fatal;

  uint64_t faultsRecovered() const;
};

/// Feeds lines one by one; call finish() after the last.
class ProtocolParser {
public:
  void line(std::string_view Line);
  ProtocolSummary finish();

private:
  ProtocolSummary S;
  /// No unanswered detected (corrupt) injection comes before these.
  size_t NextDetected = 0, NextCorrupt = 0;
  /// Gives Fate to the injection the report answers (Protocol.cpp).
  void answer(FaultFate Fate, std::string_view Reason,
              const std::string &Thread, const std::string &Domain,
              std::optional<size_t> *Index);
};

/// Reads the whole file; a missing file gives an empty summary.
ProtocolSummary parseProtocolFile(const std::string &Path);

} // namespace akeso::campaign

#endif
