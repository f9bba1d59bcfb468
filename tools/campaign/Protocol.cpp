//===- Protocol.cpp - reading the runtime's recovery reports --------------===//
//
// Injections and the reports that answer them are matched in order.  A
// detected fault is raised with the reason "injected fault" right after its
// injection, on the same thread; a corrupt fault has no report of its own,
// but may later cause one (a signal or a checker error inside a domain).
// So a report of an injected fault answers a detected injection, any other
// report a corrupt injection that changed memory ("flipped ..."), and among
// those: the injection the report names ("inject... #n"), else the oldest
// unanswered one of the report's thread ("... on thread <t>"), else the
// oldest unanswered one.  A report that answers nothing is a fault the
// program raised itself: it counts as a recovery, answering no injection.
//
//===----------------------------------------------------------------------===//
#include "Protocol.h"

#include <algorithm>
#include <charconv>
#include <fstream>

namespace akeso::campaign {

const char *fateName(FaultFate F) {
  switch (F) {
  case FaultFate::Recovered:
    return "recovered";
  case FaultFate::Fatal:
    return "fatal";
  case FaultFate::None:
    break;
  }
  return "none";
}

uint64_t ProtocolSummary::faultsRecovered() const {
  uint64_t N = 0;
  for (const InjectedFault &F : Faults)
    N += F.Fate == FaultFate::Recovered;
  return N;
}

namespace {

bool startsWith(std::string_view S, std::string_view Prefix) {
  return S.substr(0, Prefix.size()) == Prefix;
}

bool endsWith(std::string_view S, std::string_view Suffix) {
  return S.size() >= Suffix.size() &&
         S.substr(S.size() - Suffix.size()) == Suffix;
}

/// Reads a decimal number at the start of S and drops it from S.
bool takeNumber(std::string_view &S, uint64_t &Value) {
  auto [End, Err] = std::from_chars(S.data(), S.data() + S.size(), Value);
  if (Err != std::errc() || End == S.data())
    return false;
  S.remove_prefix(size_t(End - S.data()));
  return true;
}

bool takePrefix(std::string_view &S, std::string_view Prefix) {
  if (!startsWith(S, Prefix))
    return false;
  S.remove_prefix(Prefix.size());
  return true;
}

/// "<function> block <b> (<file>:<line>) after <blocks> blocks (seed <seed>,
/// thread <t>)", the part of an inject line after "<kind> fault at ".
bool parseInjectSite(std::string_view S, InjectedFault &F) {
  size_t Tail = S.rfind(" blocks (seed ");
  if (Tail == std::string_view::npos)
    return false;
  size_t Close = S.find(')', Tail);
  if (Close == std::string_view::npos)
    return false;
  // What a corrupt fault did: ": flipped bit 5 of the word at 0x...".
  std::string_view Note = S.substr(Close + 1);
  takePrefix(Note, ":");
  takePrefix(Note, " ");
  F.Note = std::string(Note);
  std::string_view SeedThread =
      S.substr(Tail + 14, Close - Tail - 14); // "<seed>, thread <t>"
  size_t Comma = SeedThread.find(", thread ");
  if (Comma == std::string_view::npos)
    return false;
  F.Seed = std::string(SeedThread.substr(0, Comma));
  F.Thread = std::string(SeedThread.substr(Comma + 9));

  std::string_view Head = S.substr(0, Tail);
  size_t After = Head.rfind(" after ");
  if (After == std::string_view::npos)
    return false;
  std::string_view Count = Head.substr(After + 7);
  if (!takeNumber(Count, F.AfterBlocks) || !Count.empty())
    return false;

  Head = Head.substr(0, After); // "<function> block <b> (<file>:<line>)"
  size_t Block = Head.rfind(" block ");
  if (Block == std::string_view::npos || !endsWith(Head, ")"))
    return false;
  F.Function = std::string(Head.substr(0, Block));
  std::string_view Where = Head.substr(Block + 7);
  if (!takeNumber(Where, F.Block) || !takePrefix(Where, " ("))
    return false;
  Where.remove_suffix(1); // ')'
  size_t Colon = Where.rfind(':');
  if (Colon == std::string_view::npos)
    return false;
  F.File = std::string(Where.substr(0, Colon));
  std::string_view LineText = Where.substr(Colon + 1);
  return takeNumber(LineText, F.Line) && LineText.empty();
}

/// The quoted name at the start of S ("'name' ..."), or "".
std::string quotedName(std::string_view S, size_t *End = nullptr) {
  if (!startsWith(S, "'"))
    return "";
  size_t Close = S.find('\'', 1);
  if (Close == std::string_view::npos)
    return "";
  if (End)
    *End = Close + 1;
  return std::string(S.substr(1, Close - 1));
}

/// The number n of an "inject #n" (or "injected ... #n") in a reason.
std::optional<uint64_t> injectionNamed(std::string_view Reason) {
  size_t Inject = Reason.find("inject");
  if (Inject == std::string_view::npos)
    return std::nullopt;
  size_t Hash = Reason.find('#', Inject);
  if (Hash == std::string_view::npos)
    return std::nullopt;
  std::string_view Rest = Reason.substr(Hash + 1);
  uint64_t N;
  if (!takeNumber(Rest, N))
    return std::nullopt;
  return N;
}

} // namespace

void ProtocolParser::answer(FaultFate Fate, std::string_view Reason,
                            const std::string &Thread,
                            const std::string &Domain,
                            std::optional<size_t> *Index) {
  // The runtime raises an injected detected fault with the reason
  // "injected fault"; any other fault (a signal, a checker, the program's
  // own akeso_fault) can only answer a corrupt fault that changed memory.
  const bool Injected = Reason.find("injected fault") != std::string_view::npos;
  size_t &Next = Injected ? NextDetected : NextCorrupt;
  auto Candidate = [&](const InjectedFault &F) {
    if (F.Fate != FaultFate::None)
      return false;
    if (F.Kind != "corrupt")
      return Injected;
    return !Injected && F.Note.find("nothing") == std::string::npos;
  };
  auto Assign = [&](size_t I) {
    S.Faults[I].Fate = Fate;
    S.Faults[I].Domain = Domain;
    if (Index)
      *Index = I;
  };
  if (std::optional<uint64_t> N = injectionNamed(Reason))
    for (size_t I = 0; I < S.Faults.size(); ++I)
      if (S.Faults[I].Number == *N && Candidate(S.Faults[I]))
        return Assign(I);
  while (Next < S.Faults.size() && !Candidate(S.Faults[Next]))
    ++Next;
  if (!Thread.empty())
    for (size_t I = Next; I < S.Faults.size(); ++I)
      if (S.Faults[I].Thread == Thread && Candidate(S.Faults[I]))
        return Assign(I);
  if (Next < S.Faults.size())
    Assign(Next++);
}

void ProtocolParser::line(std::string_view Line) {
  if (!Line.empty() && Line.back() == '\r')
    Line.remove_suffix(1);
  size_t At = Line.find("akeso: ");
  if (At == std::string_view::npos)
    return;
  std::string_view R = Line.substr(At + 7);

  if (takePrefix(R, "inject #")) {
    InjectedFault F;
    if (!takeNumber(R, F.Number))
      return;
    if (takePrefix(R, ": ")) {
      size_t KindEnd = R.find(" fault at ");
      if (KindEnd != std::string_view::npos) {
        F.Kind = std::string(R.substr(0, KindEnd));
        F.Parsed = parseInjectSite(R.substr(KindEnd + 10), F);
      }
    }
    S.Faults.push_back(std::move(F));
    return;
  }

  std::string_view Rest = R.substr(std::min<size_t>(R.size(), 16));
  size_t Rolled = Rest.rfind("; rolled back (");
  if (startsWith(R, "fault in domain ") && Rolled != std::string_view::npos) {
    Recovery Rec;
    size_t NameEnd = 0;
    Rec.Domain = quotedName(Rest, &NameEnd);
    size_t Colon = Rest.find(": ", NameEnd);
    if (Colon != std::string_view::npos && Colon < Rolled)
      Rec.Reason = std::string(Rest.substr(Colon + 2, Rolled - Colon - 2));
    // "<w> words restored, <a> undo actions run[, with [<n> ]dependent
    // domain[s]])[ on thread <t>]"
    std::string_view Counts = Rest.substr(Rolled + 15);
    if (takeNumber(Counts, Rec.WordsRestored) &&
        takePrefix(Counts, " words restored, "))
      takeNumber(Counts, Rec.UndoActions);
    if (size_t With = Counts.find(", with "); With != std::string_view::npos &&
        Counts.find("dependent domain", With) != std::string_view::npos) {
      std::string_view N = Counts.substr(With + 7);
      if (!takeNumber(N, Rec.Dependents))
        Rec.Dependents = 1; // "with dependent domains": at least one
    }
    if (size_t On = Counts.rfind(") on thread "); On != std::string_view::npos)
      Rec.Thread = std::string(Counts.substr(On + 12));

    answer(FaultFate::Recovered, Rec.Reason, Rec.Thread, Rec.Domain,
           &Rec.Fault);
    S.Recoveries.push_back(std::move(Rec));
    return;
  }

  if ((startsWith(R, "domain '") || startsWith(R, "completed domain '")) &&
      R.find(" rolled back: it depended on ") != std::string_view::npos) {
    ++S.Collateral;
    return;
  }

  if (startsWith(R, "domain '") &&
      R.find(" before it was rolled back") != std::string_view::npos) {
    ++S.OutputNotUndone;
    return;
  }

  // "...; aborting", "...; aborting (AKESO_OPTIONS=on_fault=abort)",
  // "...; cannot recover".
  if (startsWith(R, "fault ") &&
      (R.find("; aborting") != std::string_view::npos ||
       endsWith(R, "aborting") || endsWith(R, "cannot recover"))) {
    if (S.Fatal.empty())
      S.Fatal = std::string(R);
    answer(FaultFate::Fatal, R, "", "", nullptr);
    return;
  }
}

ProtocolSummary ProtocolParser::finish() { return std::move(S); }

ProtocolSummary parseProtocolFile(const std::string &Path) {
  ProtocolParser P;
  std::ifstream In(Path, std::ios::binary);
  std::string Line;
  while (std::getline(In, Line))
    P.line(Line);
  return P.finish();
}

} // namespace akeso::campaign
