//===- Report.cpp - tables, JSON, SVG and progress ------------------------===//
#include "Report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace akeso::campaign {

namespace {

/// Outcomes in the order of the table and the chart.
constexpr std::array<Outcome, NumOutcomes> Order = {
    Outcome::Recovered, Outcome::Masked,  Outcome::NoFault, Outcome::WrongOutput,
    Outcome::Crashed,   Outcome::Hung,    Outcome::Error};

/// Order of the list of trials that did not recover: worst first.
constexpr std::array<Outcome, 6> Severity = {
    Outcome::Hung,  Outcome::Crashed, Outcome::WrongOutput,
    Outcome::Error, Outcome::Masked,  Outcome::NoFault};

double percent(uint64_t Part, uint64_t Whole) {
  return Whole ? 100.0 * double(Part) / double(Whole) : 0.0;
}

std::string format(const char *Fmt, auto... Args) {
  char Buffer[512];
  std::snprintf(Buffer, sizeof(Buffer), Fmt, Args...);
  return Buffer;
}

std::string plural(uint64_t N, const char *One, const char *Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many);
}

std::string injectionSettings(const Options &O) {
  std::string S = "seeds " + std::to_string(O.Seed) + ".." +
                  std::to_string(O.Seed + O.Trials - 1);
  S += O.Period ? ", period " + std::to_string(*O.Period) : "";
  S += O.Kind ? ", kind " + *O.Kind : "";
  S += O.Scope ? ", scope " + *O.Scope : "";
  return S;
}

void accumulate(OutcomeStats &S, const TrialResult &T) {
  ++S.Trials;
  S.Faults += T.Protocol.Faults.size();
  S.FaultsRecovered += T.Protocol.faultsRecovered();
  S.Recoveries += T.Protocol.Recoveries.size();
  S.Collateral += T.Protocol.Collateral;
  S.TotalSeconds += T.Seconds;
  S.MaxSeconds = std::max(S.MaxSeconds, T.Seconds);
}

//===-- JSON --------------------------------------------------------------===//

std::string jsonString(const std::string &S) {
  std::string J = "\"";
  for (unsigned char C : S) {
    switch (C) {
    case '"':
      J += "\\\"";
      break;
    case '\\':
      J += "\\\\";
      break;
    case '\n':
      J += "\\n";
      break;
    case '\t':
      J += "\\t";
      break;
    case '\r':
      J += "\\r";
      break;
    default:
      if (C < 0x20)
        J += format("\\u%04x", unsigned(C));
      else
        J += char(C);
    }
  }
  J += '"';
  // Bytes that are not UTF-8 (a program's own stderr can hold anything) are
  // replaced, so the document stays valid JSON.
  std::string Valid;
  for (size_t I = 0; I < J.size();) {
    unsigned char C = J[I];
    size_t Len = C < 0x80                ? 1
                 : C >= 0xC2 && C <= 0xDF ? 2
                 : (C >> 4) == 0xE        ? 3
                 : C >= 0xF0 && C <= 0xF4 ? 4
                                          : 0;
    bool Ok = Len && I + Len <= J.size();
    for (size_t K = 1; Ok && K < Len; ++K)
      Ok = (static_cast<unsigned char>(J[I + K]) >> 6) == 2;
    if (Ok && Len > 2) { // no overlong forms, surrogates or beyond U+10FFFF
      unsigned char Next = J[I + 1];
      Ok = !(C == 0xE0 && Next < 0xA0) && !(C == 0xED && Next >= 0xA0) &&
           !(C == 0xF0 && Next < 0x90) && !(C == 0xF4 && Next >= 0x90);
    }
    if (Ok) {
      Valid.append(J, I, Len);
      I += Len;
    } else {
      Valid += "\\ufffd";
      ++I;
    }
  }
  return Valid;
}

std::string jsonNumber(double V) { return format("%.4f", V); }

/// A small streaming writer: objects and arrays, indented by two spaces.
class JsonWriter {
public:
  explicit JsonWriter(std::FILE *Out) : Out(Out) {}
  void open(char Bracket) {
    element();
    std::fputc(Bracket, Out);
    First.push_back(true);
  }
  void close(char Bracket) {
    bool Empty = First.back();
    First.pop_back();
    if (!Empty)
      newline();
    std::fputc(Bracket, Out);
  }
  void key(const std::string &K) {
    element();
    std::fprintf(Out, "%s: ", jsonString(K).c_str());
    AfterKey = true;
  }
  void raw(const std::string &V) {
    element();
    std::fputs(V.c_str(), Out);
  }
  void string(const std::string &V) { raw(jsonString(V)); }
  void number(uint64_t V) { raw(std::to_string(V)); }
  void number(int V) { raw(std::to_string(V)); }
  void number(double V) { raw(jsonNumber(V)); }
  void boolean(bool V) { raw(V ? "true" : "false"); }
  void null() { raw("null"); }
  template <typename T> void field(const std::string &K, const T &V) {
    key(K);
    value(V);
  }
  void value(const std::string &V) { string(V); }
  void value(const char *V) { string(V); }
  void value(uint64_t V) { number(V); }
  void value(int V) { number(V); }
  void value(double V) { number(V); }
  void value(bool V) { boolean(V); }
  template <typename T> void value(const std::optional<T> &V) {
    if (V)
      value(*V);
    else
      null();
  }

private:
  std::FILE *Out;
  std::vector<bool> First;
  bool AfterKey = false;
  void newline() {
    std::fputc('\n', Out);
    for (size_t I = 0; I < First.size(); ++I)
      std::fputs("  ", Out);
  }
  void element() {
    if (AfterKey) {
      AfterKey = false;
      return;
    }
    if (First.empty())
      return;
    if (!First.back())
      std::fputc(',', Out);
    First.back() = false;
    newline();
  }
};

void writeStats(JsonWriter &J, const OutcomeStats &S, uint64_t Total) {
  J.open('{');
  J.field("trials", S.Trials);
  J.field("percent", percent(S.Trials, Total));
  J.field("faults_injected", S.Faults);
  J.field("faults_recovered", S.FaultsRecovered);
  J.field("recoveries", S.Recoveries);
  J.field("collateral", S.Collateral);
  J.field("mean_seconds", S.meanSeconds());
  J.field("max_seconds", S.MaxSeconds);
  J.close('}');
}

//===-- SVG ---------------------------------------------------------------===//

std::string xml(const std::string &S) {
  std::string X;
  for (char C : S) {
    switch (C) {
    case '&':
      X += "&amp;";
      break;
    case '<':
      X += "&lt;";
      break;
    case '>':
      X += "&gt;";
      break;
    case '"':
      X += "&quot;";
      break;
    default:
      if (static_cast<unsigned char>(C) >= 0x20 || C == '\n' || C == '\t')
        X += C;
    }
  }
  return X;
}

const char *colour(Outcome O) {
  switch (O) {
  case Outcome::Recovered:
    return "#2e7d32";
  case Outcome::Masked:
    return "#81c784";
  case Outcome::NoFault:
    return "#b0bec5";
  case Outcome::WrongOutput:
    return "#f9a825";
  case Outcome::Crashed:
    return "#c62828";
  case Outcome::Hung:
    return "#6a1b9a";
  case Outcome::Error:
    break;
  }
  return "#424242";
}

} // namespace

Summary summarize(const std::vector<TrialResult> &Trials, uint64_t Planned,
                  double WallSeconds, bool WasInterrupted) {
  Summary S;
  S.Planned = Planned;
  S.WallSeconds = WallSeconds;
  S.WasInterrupted = WasInterrupted;
  for (const TrialResult &T : Trials) {
    if (!T.Ran)
      continue;
    ++S.Ran;
    accumulate(S.By[size_t(T.Result)], T);
    accumulate(S.All, T);
    for (const InjectedFault &F : T.Protocol.Faults) {
      S.FaultsFatal += F.Fate == FaultFate::Fatal;
      S.FaultsUnreported += F.Fate == FaultFate::None;
    }
    if (T.Result != Outcome::NoFault && T.Result != Outcome::Error) {
      ++S.Eligible;
      S.Survived += survived(T.Result);
    }
  }
  return S;
}

void printReport(std::FILE *Out, const Campaign &C, const Summary &S,
                 const std::vector<TrialResult> &Trials) {
  const Options &O = C.Opts;
  std::fprintf(Out, "akeso-campaign: %s of %s (%s), %u %s, %.1f s%s\n\n",
               plural(S.Ran, "trial", "trials").c_str(),
               O.TargetPath.c_str(), injectionSettings(O).c_str(), O.Jobs,
               O.Jobs == 1 ? "job" : "jobs", S.WallSeconds,
               S.WasInterrupted
                   ? format(", interrupted after %llu of %llu",
                            (unsigned long long)S.Ran,
                            (unsigned long long)S.Planned)
                         .c_str()
                   : "");
  std::fprintf(Out, "%-13s %7s %7s %8s %13s %11s %10s %10s\n", "outcome",
               "trials", "%", "faults", "recovered", "collateral", "mean time",
               "max time");
  auto Row = [&](const char *Name, const OutcomeStats &X) {
    std::string Recovered =
        X.Faults ? format("%llu (%3.0f%%)", (unsigned long long)X.FaultsRecovered,
                          percent(X.FaultsRecovered, X.Faults))
                 : "-";
    std::string Mean = X.Trials ? format("%.3f s", X.meanSeconds()) : "-";
    std::string Max = X.Trials ? format("%.3f s", X.MaxSeconds) : "-";
    std::fprintf(Out, "%-13s %7llu %6.1f%% %8llu %13s %11llu %10s %10s\n",
                 Name, (unsigned long long)X.Trials,
                 percent(X.Trials, S.Ran), (unsigned long long)X.Faults,
                 Recovered.c_str(), (unsigned long long)X.Collateral,
                 Mean.c_str(), Max.c_str());
  };
  for (Outcome Kind : Order)
    if (Kind != Outcome::Error || S.of(Kind).Trials)
      Row(outcomeName(Kind), S.of(Kind));
  Row("all", S.All);

  std::fprintf(Out,
               "\nsurvival: %llu of %llu trials with a fault or a failure "
               "ended with correct output (%.1f%%)\n",
               (unsigned long long)S.Survived, (unsigned long long)S.Eligible,
               percent(S.Survived, S.Eligible));
  std::fprintf(Out,
               "faults: %llu injected; %llu followed by a recovery (%.1f%%), "
               "%llu by a fatal report, %llu by no report; %llu collateral "
               "rollbacks\n",
               (unsigned long long)S.All.Faults,
               (unsigned long long)S.All.FaultsRecovered,
               percent(S.All.FaultsRecovered, S.All.Faults),
               (unsigned long long)S.FaultsFatal,
               (unsigned long long)S.FaultsUnreported,
               (unsigned long long)S.All.Collateral);
  if (S.of(Outcome::NoFault).Trials == S.Ran && S.Ran)
    std::fprintf(Out, "note: no trial had a fault injected: is the target "
                      "built with injection (akeso-cc -mllvm -akeso-inject), "
                      "or is --period longer than a run?\n");
  uint64_t CrashedWithoutFault = 0;
  for (const TrialResult &T : Trials)
    CrashedWithoutFault += T.Ran &&
                           (T.Result == Outcome::Crashed ||
                            T.Result == Outcome::Hung) &&
                           T.Protocol.Faults.empty();
  if (CrashedWithoutFault)
    std::fprintf(Out, "note: %s crashed or hung without an injected fault: "
                      "the target fails on its own\n",
                 plural(CrashedWithoutFault, "trial", "trials").c_str());

  bool Header = false;
  for (Outcome Kind : Severity)
    for (const TrialResult &T : Trials) {
      if (!T.Ran || T.Result != Kind)
        continue;
      if (!Header) {
        std::fprintf(Out, "\ntrials that did not recover, worst first, each "
                          "with the command that replays it alone%s:\n",
                     O.Workload ? " (then run the workload alongside it)"
                                : "");
        Header = true;
      }
      std::fprintf(Out, "  trial %llu (seed %llu): %s: %s; %s, %.3f s\n",
                   (unsigned long long)T.Index, (unsigned long long)T.Seed,
                   outcomeName(T.Result), T.Detail.c_str(),
                   plural(T.Protocol.Faults.size(), "fault", "faults").c_str(),
                   T.Seconds);
      std::fprintf(Out, "    %s\n", T.Replay.c_str());
      if (!T.Dir.empty())
        std::fprintf(Out, "    output in %s\n", T.Dir.c_str());
    }
  if (Header && !C.KeepDirs)
    std::fprintf(Out, "(--keep-dir DIR keeps each trial's stdout and "
                      "stderr)\n");
}

void writeJson(std::FILE *Out, const Campaign &C, const Summary &S,
               const std::vector<TrialResult> &Trials) {
  const Options &O = C.Opts;
  JsonWriter J(Out);
  J.open('{');
  J.field("tool", "akeso-campaign");
  J.field("format", 1);

  J.key("campaign");
  J.open('{');
  J.field("target", O.TargetPath);
  J.key("args");
  J.open('[');
  for (size_t I = 1; I < O.Target.size(); ++I)
    J.string(O.Target[I]);
  J.close(']');
  J.field("trials", O.Trials);
  J.field("jobs", uint64_t(O.Jobs));
  J.field("seed", O.Seed);
  J.field("timeout", O.Timeout);
  J.field("period", O.Period);
  J.field("kind", O.Kind);
  J.field("scope", O.Scope);
  J.field("workload", O.Workload);
  J.field("oracle", O.Oracle);
  J.key("env");
  J.open('{');
  for (const auto &[Name, Value] : O.Env)
    J.field(Name, Value);
  J.close('}');
  J.close('}');

  J.key("summary");
  J.open('{');
  J.field("trials_planned", S.Planned);
  J.field("trials_run", S.Ran);
  J.field("interrupted", S.WasInterrupted);
  J.field("wall_seconds", S.WallSeconds);
  J.key("outcomes");
  J.open('{');
  for (Outcome Kind : Order) {
    J.key(outcomeName(Kind));
    writeStats(J, S.of(Kind), S.Ran);
  }
  J.close('}');
  J.key("all");
  writeStats(J, S.All, S.Ran);
  J.key("faults");
  J.open('{');
  J.field("injected", S.All.Faults);
  J.field("recovered", S.All.FaultsRecovered);
  J.field("fatal", S.FaultsFatal);
  J.field("unreported", S.FaultsUnreported);
  J.field("recovered_percent", percent(S.All.FaultsRecovered, S.All.Faults));
  J.close('}');
  J.field("collateral", S.All.Collateral);
  J.key("survival");
  J.open('{');
  J.field("trials", S.Eligible);
  J.field("survived", S.Survived);
  J.field("percent", percent(S.Survived, S.Eligible));
  J.close('}');
  J.close('}');

  J.key("trials");
  J.open('[');
  for (const TrialResult &T : Trials) {
    if (!T.Ran)
      continue;
    J.open('{');
    J.field("index", T.Index);
    J.field("seed", T.Seed);
    J.field("outcome", outcomeName(T.Result));
    J.field("detail", T.Detail);
    J.key("exit");
    J.open('{');
    const bool Exited = T.Result != Outcome::Error;
    J.field("status", Exited && !T.Target.Signaled
                          ? std::optional<int>(T.Target.Code)
                          : std::nullopt);
    J.field("signal", Exited && T.Target.Signaled
                          ? std::optional<int>(T.Target.Code)
                          : std::nullopt);
    J.field("signal_name", Exited && T.Target.Signaled
                               ? std::optional<std::string>(
                                     signalName(T.Target.Code))
                               : std::nullopt);
    J.field("core_dumped", T.Target.CoreDumped);
    J.field("terminated_after_workload", T.TargetTerminated);
    J.field("watchdog", T.WatchdogFired);
    J.close('}');
    J.field("duration", T.Seconds);
    J.field("faults_injected", uint64_t(T.Protocol.Faults.size()));
    J.field("faults_recovered", T.Protocol.faultsRecovered());
    J.field("recoveries", uint64_t(T.Protocol.Recoveries.size()));
    J.field("collateral", T.Protocol.Collateral);
    J.field("output_not_undone", T.Protocol.OutputNotUndone);
    J.key("faults");
    J.open('[');
    for (const InjectedFault &F : T.Protocol.Faults) {
      J.open('{');
      J.field("number", F.Number);
      J.field("fate", fateName(F.Fate));
      if (!F.Domain.empty())
        J.field("domain", F.Domain);
      if (F.Parsed) {
        J.field("kind", F.Kind);
        J.field("function", F.Function);
        J.field("block", F.Block);
        J.field("file", F.File);
        J.field("line", F.Line);
        J.field("after_blocks", F.AfterBlocks);
        J.field("seed", F.Seed);
        J.field("thread", F.Thread);
        if (!F.Note.empty())
          J.field("note", F.Note);
      }
      J.close('}');
    }
    J.close(']');
    J.field("fatal", T.Protocol.Fatal.empty()
                         ? std::nullopt
                         : std::optional<std::string>(T.Protocol.Fatal));
    J.key("workload_exit");
    if (T.Workload)
      J.number(T.Workload->shellStatus());
    else
      J.null();
    J.key("oracle_exit");
    if (T.Oracle)
      J.number(T.Oracle->shellStatus());
    else
      J.null();
    J.field("replay", T.Replay);
    J.field("dir", T.Dir.empty() ? std::nullopt
                                 : std::optional<std::string>(T.Dir));
    J.close('}');
  }
  J.close(']');
  J.close('}');
  std::fputc('\n', Out);
}

void writeSvg(std::FILE *Out, const Campaign &C, const Summary &S,
              const std::vector<TrialResult> &Trials) {
  const Options &O = C.Opts;
  const double Left = 40, Width = 760;
  auto P = [&](const std::string &Text) { std::fputs(Text.c_str(), Out); };
  P("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  P("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"840\" height=\"560\" "
    "viewBox=\"0 0 840 560\" font-family=\"Helvetica, Arial, sans-serif\">\n");
  P("<title>akeso fault-injection campaign</title>\n");
  P("<rect width=\"840\" height=\"560\" fill=\"#ffffff\"/>\n");
  std::string Name = std::filesystem::path(O.TargetPath).filename().string();
  P(format("<text x=\"%g\" y=\"32\" font-size=\"20\" font-weight=\"bold\">",
           Left) +
    xml("akeso fault-injection campaign: " + Name) + "</text>\n");
  P(format("<text x=\"%g\" y=\"52\" font-size=\"12\" fill=\"#555\">", Left) +
    xml(plural(S.Ran, "trial", "trials") + ", " + injectionSettings(O) +
        format(", timeout %g s", O.Timeout) +
        (S.WasInterrupted ? ", interrupted" : "")) +
    "</text>\n");

  // Outcomes: one stacked bar and its legend.
  P(format("<text x=\"%g\" y=\"88\" font-size=\"15\" font-weight=\"bold\">"
           "Outcomes</text>\n",
           Left));
  P(format("<rect x=\"%g\" y=\"98\" width=\"%g\" height=\"36\" fill=\"#eeeeee\"/>\n",
           Left, Width));
  double X = Left;
  for (Outcome Kind : Order) {
    uint64_t N = S.of(Kind).Trials;
    if (!N)
      continue;
    double W = Width * double(N) / double(S.Ran);
    std::string Label = format("%s: %llu (%.1f%%)", outcomeName(Kind),
                               (unsigned long long)N, percent(N, S.Ran));
    P(format("<rect x=\"%.2f\" y=\"98\" width=\"%.2f\" height=\"36\" "
             "fill=\"%s\"><title>",
             X, W, colour(Kind)) +
      xml(Label) + "</title></rect>\n");
    if (W >= 28)
      P(format("<text x=\"%.2f\" y=\"121\" font-size=\"13\" fill=\"#fff\" "
               "text-anchor=\"middle\">%llu</text>\n",
               X + W / 2, (unsigned long long)N));
    X += W;
  }
  int Item = 0;
  for (Outcome Kind : Order) {
    if (Kind == Outcome::Error && !S.of(Kind).Trials)
      continue;
    double LX = Left + 190 * (Item % 4), LY = 150 + 20 * (Item / 4);
    uint64_t N = S.of(Kind).Trials;
    P(format("<rect x=\"%g\" y=\"%g\" width=\"12\" height=\"12\" fill=\"%s\"/>",
             LX, LY, colour(Kind)));
    P(format("<text x=\"%g\" y=\"%g\" font-size=\"12\">", LX + 17, LY + 10) +
      xml(format("%s %llu (%.1f%%)", outcomeName(Kind),
                 (unsigned long long)N, percent(N, S.Ran))) +
      "</text>\n");
    ++Item;
  }

  // Survival: trials, then faults.
  auto Bar = [&](double Y, const std::string &Title,
                 const std::vector<std::tuple<uint64_t, const char *,
                                              std::string>> &Parts,
                 uint64_t Whole) {
    P(format("<text x=\"%g\" y=\"%g\" font-size=\"12\">", Left, Y - 6) +
      xml(Title) + "</text>\n");
    P(format("<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"18\" "
             "fill=\"#eeeeee\"/>\n",
             Left, Y, Width));
    double BX = Left;
    for (const auto &[N, Fill, Tip] : Parts) {
      if (!N || !Whole)
        continue;
      double W = Width * double(N) / double(Whole);
      P(format("<rect x=\"%.2f\" y=\"%g\" width=\"%.2f\" height=\"18\" "
               "fill=\"%s\"><title>",
               BX, Y, W, Fill) +
        xml(Tip) + "</title></rect>\n");
      std::string Label = Tip + " " + std::to_string(N);
      if (W >= 7.0 * double(Label.size()))
        P(format("<text x=\"%.2f\" y=\"%g\" font-size=\"11\" fill=\"#fff\" "
                 "text-anchor=\"middle\">",
                 BX + W / 2, Y + 13) +
          xml(Label) + "</text>\n");
      BX += W;
    }
  };
  P(format("<text x=\"%g\" y=\"212\" font-size=\"15\" font-weight=\"bold\">"
           "Survival</text>\n",
           Left));
  Bar(236,
      format("%llu of %llu trials with a fault or a failure ended with "
             "correct output (%.1f%%); failed: wrong output, crashed or hung",
             (unsigned long long)S.Survived, (unsigned long long)S.Eligible,
             percent(S.Survived, S.Eligible)),
      {{S.of(Outcome::Recovered).Trials, colour(Outcome::Recovered),
        "recovered"},
       {S.of(Outcome::Masked).Trials, colour(Outcome::Masked), "masked"},
       {S.Eligible - S.Survived, "#c62828", "failed"}},
      S.Eligible);
  Bar(282,
      format("%llu of %llu injected faults were followed by a recovery "
             "(%.1f%%); %llu by a fatal report, %llu by none",
             (unsigned long long)S.All.FaultsRecovered,
             (unsigned long long)S.All.Faults,
             percent(S.All.FaultsRecovered, S.All.Faults),
             (unsigned long long)S.FaultsFatal,
             (unsigned long long)S.FaultsUnreported),
      {{S.All.FaultsRecovered, colour(Outcome::Recovered), "recovered"},
       {S.FaultsFatal, "#c62828", "fatal"},
       {S.FaultsUnreported, "#f9a825", "no report"}},
      S.All.Faults);

  // The survival rate over the trials so far, in trial order.
  const double PX = 80, PY = 340, PW = 720, PH = 160;
  P(format("<text x=\"%g\" y=\"%g\" font-size=\"12\">Survival rate over the "
           "trials (trials with a fault or a failure so far)</text>\n",
           Left, PY - 14));
  for (int Tick = 0; Tick <= 100; Tick += 25) {
    double Y = PY + PH - PH * Tick / 100.0;
    P(format("<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" "
             "stroke=\"#dddddd\"/>",
             PX, Y, PX + PW, Y));
    P(format("<text x=\"%g\" y=\"%.1f\" font-size=\"11\" "
             "text-anchor=\"end\">%d%%</text>\n",
             PX - 6, Y + 4, Tick));
  }
  P(format("<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"#333\"/>\n",
           PX, PY + PH, PX + PW, PY + PH));
  std::string Points;
  uint64_t Seen = 0, Eligible = 0, Good = 0, Total = S.Ran;
  for (const TrialResult &T : Trials) {
    if (!T.Ran)
      continue;
    ++Seen;
    if (T.Result == Outcome::NoFault || T.Result == Outcome::Error)
      continue;
    ++Eligible;
    Good += survived(T.Result);
    double Px = PX + (Total > 1 ? PW * double(Seen - 1) / double(Total - 1)
                                : PW / 2);
    double Py = PY + PH - PH * percent(Good, Eligible) / 100.0;
    Points += format("%.1f,%.1f ", Px, Py);
  }
  if (!Points.empty())
    P("<polyline fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"2\" "
      "points=\"" + Points + "\"/>\n");
  else
    P(format("<text x=\"%g\" y=\"%g\" font-size=\"12\" fill=\"#777\" "
             "text-anchor=\"middle\">no trial had a fault</text>\n",
             PX + PW / 2, PY + PH / 2));
  P(format("<text x=\"%g\" y=\"%g\" font-size=\"11\">1</text>\n", PX,
           PY + PH + 16));
  P(format("<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"end\">"
           "%llu</text>\n",
           PX + PW, PY + PH + 16, (unsigned long long)Total));
  P(format("<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"middle\">"
           "trial</text>\n",
           PX + PW / 2, PY + PH + 16));
  P(format("<text x=\"%g\" y=\"%g\" font-size=\"11\" fill=\"#555\">", Left,
           PY + PH + 44) +
    xml(format("faults injected %llu, recoveries %llu, collateral rollbacks "
               "%llu; mean trial %.3f s, longest %.3f s",
               (unsigned long long)S.All.Faults,
               (unsigned long long)S.All.Recoveries,
               (unsigned long long)S.All.Collateral, S.All.meanSeconds(),
               S.All.MaxSeconds)) +
    "</text>\n");
  P("</svg>\n");
}

Progress::Progress(uint64_t Planned, bool Enabled)
    : Planned(Planned), Enabled(Enabled), Terminal(isatty(2)) {}

void Progress::finished(const TrialResult &T) {
  if (!Enabled || !T.Ran)
    return;
  std::lock_guard<std::mutex> Guard(Lock);
  ++Count;
  ++Counts[size_t(T.Result)];
  const int Digits = int(std::to_string(Planned).size());
  if (!Terminal) {
    std::fprintf(stderr,
                 "akeso-campaign: [%*llu/%llu] trial %llu (seed %llu): %s, "
                 "%s, %.3f s\n",
                 Digits, (unsigned long long)Count,
                 (unsigned long long)Planned, (unsigned long long)T.Index,
                 (unsigned long long)T.Seed, outcomeName(T.Result),
                 plural(T.Protocol.Faults.size(), "fault", "faults").c_str(),
                 T.Seconds);
    return;
  }
  std::string Line = format("\r\033[K[%*llu/%llu]", Digits,
                            (unsigned long long)Count,
                            (unsigned long long)Planned);
  for (Outcome Kind : Order)
    if (Counts[size_t(Kind)])
      Line += format(" %s %llu", outcomeName(Kind),
                     (unsigned long long)Counts[size_t(Kind)]);
  std::fputs(Line.c_str(), stderr);
  std::fflush(stderr);
}

void Progress::done() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Enabled && Terminal && Count)
    std::fputs("\n", stderr);
}

} // namespace akeso::campaign
