//===- options.cpp - parsing AKESO_OPTIONS --------------------------------===//
#include "options.h"

#include "report.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace akeso::rt {

Options Flags;

namespace {

struct OptionSpec {
  const char *Name;
  const char *Help;
  size_t Min, Max;
  void (*Set)(size_t);
  // For options whose value is a word: the words, in the order of the
  // numbers Set receives (null-terminated), or null.
  const char *const *Words = nullptr;
};

const char *const KindWords[] = {"detected", "corrupt", nullptr};
const char *const ScopeWords[] = {"logged", "all", nullptr};
const char *const PolicyWords[] = {"recover", "report", "abort", nullptr};
// In the order of GuessBackendKind (guess_backend.h).
const char *const BackendWords[] = {"undo", "fork", "pages", nullptr};
const char *const TrackWords[] = {"compare", "uffd", nullptr};

const OptionSpec Specs[] = {
    {"verbosity", "0 silent, 1 report recovery events, 2 also domain lifetimes",
     0, 2, [](size_t V) { Flags.Verbosity = unsigned(V); }},
    {"stats", "1 prints domain and access counters at exit", 0, 1,
     [](size_t V) { Flags.Stats = V != 0; }},
    {"undo_log_mb", "per-thread undo log capacity in MiB", 1, 1 << 20,
     [](size_t V) { Flags.UndoLogMiB = V; }},
    {"max_domain_depth", "deepest nesting of domains on one thread", 1, 1 << 20,
     [](size_t V) { Flags.MaxDomainDepth = V; }},
    {"max_pending_domains",
     "completed domains of one thread that may wait to commit at once", 1,
     1 << 20, [](size_t V) { Flags.MaxPendingDomains = V; }},
    {"help", "1 lists these options at start-up", 0, 1,
     [](size_t V) { Flags.Help = V != 0; }},
    {"handle_signals",
     "1 turns SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT inside logged "
     "domains into rollbacks",
     0, 1, [](size_t V) { Flags.HandleSignals = V != 0; }},
    {"on_fault",
     "recover (roll back), report (report a checker's error and continue; "
     "other faults roll back) or abort",
     0, 2, [](size_t V) { Flags.OnFault = FaultPolicy(V); },
     PolicyWords},
    {"inject",
     "1 runs the fault-injection schedule (code built with -mllvm "
     "-akeso-inject)",
     0, 1, [](size_t V) { Flags.Inject = V != 0; }},
    {"inject_period", "a fault every P + rand(0..P) blocks", 1,
     size_t(1) << 40, [](size_t V) { Flags.InjectPeriod = V; }},
    {"inject_seed", "seed of the injection schedule", 0, ~size_t(0) >> 1,
     [](size_t V) { Flags.InjectSeed = V; }},
    {"inject_kind",
     "detected (a fault the runtime recovers from) or corrupt (a bit "
     "flipped in a word the domain wrote, not reported to the program)",
     0, 1, [](size_t V) { Flags.InjectKind = InjectionKind(V); },
     KindWords},
    {"inject_scope",
     "logged (inside logged domains) or all (any instrumented code)", 0, 1,
     [](size_t V) { Flags.InjectScopeAll = V != 0; }, ScopeWords},
    {"guess_backend",
     "how akeso_guess keeps partial candidates when the strategy names no "
     "AKESO_BACKEND_*: undo (the undo log), fork (a process per extension) "
     "or pages (page snapshots)",
     0, 2, [](size_t V) { Flags.GuessBackend = int(V); }, BackendWords},
    {"pages_track",
     "how the page backend finds the pages an extension wrote: compare "
     "(shadow copies; cheapest where page-table updates are slow) or uffd "
     "(userfaultfd write-protect and PAGEMAP_SCAN)",
     0, 1, [](size_t V) { Flags.PagesTrackUffd = V != 0; }, TrackWords},
};

void listOptions() {
  report("AKESO_OPTIONS is a ':'-separated list of name=value; known names:");
  for (const OptionSpec &S : Specs) {
    if (!S.Words) {
      report("  %-18s %s (%zu..%zu)", S.Name, S.Help, S.Min, S.Max);
      continue;
    }
    char Choices[128] = "";
    size_t Used = 0;
    for (const char *const *W = S.Words; *W; ++W)
      Used += size_t(snprintf(Choices + Used, sizeof(Choices) - Used, "%s%s",
                              W == S.Words ? "" : "|", *W));
    report("  %-18s %s (%s)", S.Name, S.Help, Choices);
  }
}

[[noreturn]] void usage(const char *Problem, const char *Item, size_t Len) {
  report("AKESO_OPTIONS: %s '%.*s'", Problem, int(Len), Item);
  listOptions();
  exit(1);
}

} // namespace

void parseOptions(const char *Text) {
  if (!Text)
    return;
  const char *P = Text;
  while (*P) {
    const char *End = strchrnul(P, ':');
    size_t Len = size_t(End - P);
    if (Len > 0) {
      const char *Eq = static_cast<const char *>(memchr(P, '=', Len));
      if (!Eq)
        usage("expected name=value, got", P, Len);
      size_t NameLen = size_t(Eq - P);
      const OptionSpec *Spec = nullptr;
      for (const OptionSpec &S : Specs)
        if (strlen(S.Name) == NameLen && !strncmp(S.Name, P, NameLen))
          Spec = &S;
      if (!Spec)
        usage("unknown option", P, NameLen);
      char *NumEnd = nullptr;
      const char *Value = Eq + 1;
      if (Spec->Words) {
        size_t ValueLen = size_t(End - Value), Index = 0;
        const char *const *W = Spec->Words;
        for (; *W; ++W, ++Index)
          if (strlen(*W) == ValueLen && !strncmp(*W, Value, ValueLen))
            break;
        if (!*W)
          usage("unknown value in", P, Len);
        Spec->Set(Index);
        P = *End ? End + 1 : End;
        continue;
      }
      unsigned long long V = strtoull(Value, &NumEnd, 10);
      if (NumEnd == Value || NumEnd != End || V < Spec->Min || V > Spec->Max)
        usage("value out of range or not a number in", P, Len);
      Spec->Set(size_t(V));
    }
    P = *End ? End + 1 : End;
  }
  if (Flags.Help)
    listOptions();
}

} // namespace akeso::rt
