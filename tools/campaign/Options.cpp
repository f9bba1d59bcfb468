//===- Options.cpp - akeso-campaign's command line ------------------------===//
//
// Every problem is reported as what is wrong, where (the argument's
// position) and what to do, and stops the program with status 2 before any
// trial runs.
//
//===----------------------------------------------------------------------===//
#include "Options.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace akeso::campaign {

namespace {

const char *const HelpText = R"(usage: akeso-campaign [options] -- TARGET [ARGS...]

Runs TARGET (a program built by akeso-cc with fault injection compiled in,
or anything that prints the akeso runtime's reports) many times with
injection on, each trial with its own seed, and tells how each trial ended:
recovered, masked, no fault, wrong output, crashed or hung.

Trials:
  --trials N        number of trials (default 100)
  -j, --jobs J      trials run in parallel (default: the number of hardware
                    threads)
  --seed S          base seed; trial i (from 0) uses seed S+i (default 1)
  --timeout SEC     watchdog per trial: a trial still running after SEC
                    seconds (fractions allowed) is killed with SIGKILL, with
                    every process of its process group, and is "hung"
                    (default 60)

What the target gets (through AKESO_OPTIONS, merged with any AKESO_OPTIONS
already set in the environment or with --env):
  inject=1:inject_seed=<seed of the trial>
  --period P        :inject_period=P, blocks between injected faults
                    (the runtime's default when not given)
  --kind K          :inject_kind=K, detected (the fault is raised as a
                    recovery event) or corrupt (a value is corrupted)
  --scope S         :inject_scope=S, logged (faults only inside logged
                    domains) or all (anywhere in instrumented code)
  --env NAME=VALUE  set a variable in the target's environment (repeatable;
                    --env AKESO_OPTIONS=... replaces the inherited one)

Driving and checking:
  --workload CMD    a shell command run alongside the target (a client);
                    when it exits the target gets SIGTERM, and a workload
                    that exits non-zero makes the trial "wrong output"
  --oracle CMD      a shell command run after a trial that exited normally;
                    exit 0 means the output is correct, anything else makes
                    the trial "wrong output"

Both commands run with /bin/sh in the trial's directory and get
AKESO_TRIAL_DIR, AKESO_TRIAL_INDEX, AKESO_TRIAL_SEED, AKESO_TRIAL_STDOUT and
AKESO_TRIAL_STDERR (paths of the target's captured output); the workload
also gets AKESO_TARGET_PID, the oracle AKESO_TRIAL_EXIT (the target's exit
status, or 128+signal).

Output:
  --json FILE       per-trial records and the summary as JSON ('-': stdout,
                    and the table goes to stderr)
  --svg FILE        a chart of the outcomes and of survival, as SVG
  --keep-dir DIR    keep each trial's directory (target stdout/stderr,
                    workload and oracle output) as DIR/trial-NNNNNN; DIR must
                    be empty or absent
  -q, --quiet       no progress lines on stderr
  -h, --help        this text

Each trial runs in a fresh directory (its working directory), with stdin
from /dev/null and stdout/stderr captured to files; relative paths in ARGS
are therefore relative to that directory: give absolute ones.  At the end a
table of outcomes is printed, then, for every trial that did not recover,
the command that replays it alone.  Exit status: 0 when every trial ran
(whatever their outcomes), 1 when some could not be started, 2 for a usage
error, 130 when interrupted.  See docs/campaign.md.
)";

struct Problem {
  std::string What, Where, ToDo;
};

[[noreturn]] void fail(const Problem &P) {
  std::fprintf(stderr, "akeso-campaign: error: %s%s%s%s%s\n", P.What.c_str(),
               P.Where.empty() ? "" : " (", P.Where.c_str(),
               P.Where.empty() ? "" : ")",
               P.ToDo.empty() ? "" : ("; " + P.ToDo).c_str());
  std::fprintf(stderr, "akeso-campaign: run 'akeso-campaign --help' for "
                       "the options\n");
  std::exit(2);
}

std::string argumentAt(int Index) {
  return "argument " + std::to_string(Index);
}

std::optional<uint64_t> parseWhole(std::string_view Text) {
  uint64_t V;
  auto [End, Err] = std::from_chars(Text.data(), Text.data() + Text.size(), V);
  if (Err != std::errc() || End != Text.data() + Text.size() || Text.empty())
    return std::nullopt;
  return V;
}

uint64_t wholeNumber(const std::string &Option, const std::string &Text,
                     uint64_t Min, uint64_t Max, const std::string &Where,
                     const std::string &Example) {
  std::optional<uint64_t> V = parseWhole(Text);
  if (!V)
    fail({Option + ": '" + Text + "' is not a whole number", Where,
          "write e.g. " + Option + " " + Example});
  if (*V < Min || *V > Max)
    fail({Option + ": " + Text + " is out of range", Where,
          "give a number from " + std::to_string(Min) + " to " +
              std::to_string(Max)});
  return *V;
}

bool validName(const std::string &Name) {
  if (Name.empty() || std::isdigit(static_cast<unsigned char>(Name[0])))
    return false;
  return std::all_of(Name.begin(), Name.end(), [](char C) {
    return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
  });
}

size_t editDistance(std::string_view A, std::string_view B) {
  std::vector<size_t> Row(B.size() + 1);
  for (size_t J = 0; J <= B.size(); ++J)
    Row[J] = J;
  for (size_t I = 1; I <= A.size(); ++I) {
    size_t Diagonal = Row[0];
    Row[0] = I;
    for (size_t J = 1; J <= B.size(); ++J) {
      size_t Up = Row[J];
      Row[J] = std::min({Row[J] + 1, Row[J - 1] + 1,
                         Diagonal + (A[I - 1] != B[J - 1])});
      Diagonal = Up;
    }
  }
  return Row[B.size()];
}

/// TARGET as an absolute path: a name with a '/' is taken relative to the
/// current directory, any other name is looked up in PATH, as a shell does.
std::string resolveTarget(const std::string &Name, const std::string &Where) {
  namespace fs = std::filesystem;
  auto Usable = [](const fs::path &P) {
    std::error_code EC;
    return fs::is_regular_file(P, EC) && access(P.c_str(), X_OK) == 0;
  };
  if (Name.empty())
    fail({"the target is an empty string", Where,
          "give the program to run after '--'"});
  if (Name.find('/') != std::string::npos) {
    fs::path P = fs::absolute(Name).lexically_normal();
    std::error_code EC;
    if (!fs::exists(P, EC))
      fail({"target '" + Name + "' does not exist", Where,
            "check the path (trials run in their own directories, so it is "
            "resolved against the current one now)"});
    if (!Usable(P))
      fail({"target '" + Name + "' is not an executable file", Where,
            "give a program (chmod +x it if it is one)"});
    return P.string();
  }
  const char *Path = std::getenv("PATH");
  std::string_view Dirs = Path ? Path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    size_t Colon = Dirs.find(':');
    std::string Dir(Dirs.substr(0, Colon));
    fs::path P = fs::absolute(fs::path(Dir.empty() ? "." : Dir) / Name);
    if (Usable(P))
      return P.lexically_normal().string();
    if (Colon == std::string_view::npos)
      break;
    Dirs.remove_prefix(Colon + 1);
  }
  fail({"target '" + Name + "' is not found in PATH", Where,
        "give its path, e.g. ./" + Name});
}

/// Checks that FILE can be written now rather than after a long campaign.
void checkWritable(const std::string &Option, const std::string &File,
                   const std::string &Where) {
  if (File == "-" && Option == "--json")
    return;
  namespace fs = std::filesystem;
  fs::path P(File);
  fs::path Dir = P.has_parent_path() ? P.parent_path() : fs::path(".");
  std::error_code EC;
  if (File.empty() || fs::is_directory(P, EC))
    fail({Option + ": '" + File + "' is not a file name", Where,
          "name the file to write, e.g. " + Option + " out." +
              Option.substr(2)});
  if (!fs::is_directory(Dir, EC))
    fail({Option + ": directory '" + Dir.string() + "' of '" + File +
              "' does not exist",
          Where, "create it first or choose another path"});
  if (access(Dir.c_str(), W_OK) != 0 ||
      (fs::exists(P, EC) && access(P.c_str(), W_OK) != 0))
    fail({Option + ": cannot write '" + File + "': " + std::strerror(errno),
          Where, "choose a path you can write"});
}

} // namespace

int parseCommandLine(int Argc, char **Argv, Options &O) {
  struct Spec {
    const char *Name;
    const char *Short;
    bool TakesValue;
    std::function<void(const std::string &, const std::string &)> Set;
  };
  const std::vector<Spec> Specs = {
      {"--trials", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         O.Trials = wholeNumber("--trials", V, 1, 100000000, W, "100");
       }},
      {"--jobs", "-j", true,
       [&](const std::string &V, const std::string &W) {
         O.Jobs = unsigned(wholeNumber("--jobs", V, 1, 4096, W, "4"));
       }},
      {"--seed", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         O.Seed = wholeNumber("--seed", V, 0, UINT64_MAX, W, "1");
       }},
      {"--timeout", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         char *End = nullptr;
         errno = 0;
         double T = std::strtod(V.c_str(), &End);
         if (V.empty() || *End || errno || !std::isfinite(T))
           fail({"--timeout: '" + V + "' is not a number of seconds", W,
                 "write e.g. --timeout 30 or --timeout 0.5"});
         if (T <= 0 || T > 1e6)
           fail({"--timeout: " + V + " is out of range", W,
                 "give more than 0 and at most 1000000 seconds"});
         O.Timeout = T;
       }},
      {"--workload", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         if (V.empty())
           fail({"--workload: the command is empty", W,
                 "give a shell command, e.g. --workload './client 100'"});
         O.Workload = V;
       }},
      {"--oracle", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         if (V.empty())
           fail({"--oracle: the command is empty", W,
                 "give a shell command, e.g. --oracle 'cmp expected.txt "
                 "\"$AKESO_TRIAL_STDOUT\"'"});
         O.Oracle = V;
       }},
      {"--env", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         size_t Eq = V.find('=');
         if (Eq == std::string::npos)
           fail({"--env: '" + V + "' has no '='", W,
                 "write --env NAME=VALUE"});
         std::string Name = V.substr(0, Eq);
         if (!validName(Name))
           fail({"--env: '" + Name + "' is not a variable name", W,
                 "use letters, digits and '_', not starting with a digit"});
         O.Env.emplace_back(Name, V.substr(Eq + 1));
       }},
      {"--period", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         O.Period = wholeNumber("--period", V, 1, UINT64_MAX / 2, W, "300000");
       }},
      {"--kind", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         if (V != "detected" && V != "corrupt")
           fail({"--kind: '" + V + "' is not a fault kind", W,
                 "use --kind detected or --kind corrupt"});
         O.Kind = V;
       }},
      {"--scope", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         if (V != "logged" && V != "all")
           fail({"--scope: '" + V + "' is not an injection scope", W,
                 "use --scope logged or --scope all"});
         O.Scope = V;
       }},
      {"--json", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         checkWritable("--json", V, W);
         O.JsonPath = V;
       }},
      {"--svg", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         checkWritable("--svg", V, W);
         O.SvgPath = V;
       }},
      {"--keep-dir", nullptr, true,
       [&](const std::string &V, const std::string &W) {
         namespace fs = std::filesystem;
         std::error_code EC;
         if (V.empty())
           fail({"--keep-dir: the directory name is empty", W,
                 "name a directory, e.g. --keep-dir trials"});
         if (fs::exists(V, EC) && !fs::is_directory(V, EC))
           fail({"--keep-dir: '" + V + "' exists and is not a directory", W,
                 "name a new or empty directory"});
         if (fs::is_directory(V, EC) && !fs::is_empty(V, EC))
           fail({"--keep-dir: '" + V + "' is not empty", W,
                 "name a new or empty directory (or remove its contents)"});
         O.KeepDir = fs::absolute(V).lexically_normal().string();
       }},
      {"--quiet", "-q", false,
       [&](const std::string &, const std::string &) { O.Quiet = true; }},
  };

  int I = 1;
  for (; I < Argc; ++I) {
    std::string Arg = Argv[I];
    std::string Where = argumentAt(I);
    if (Arg == "--") {
      ++I;
      break;
    }
    if (Arg == "--help" || Arg == "-h") {
      std::fputs(HelpText, stdout);
      return 0;
    }
    if (Arg.empty() || Arg[0] != '-')
      fail({"'" + Arg + "' comes before '--'", Where,
            "put the target after '--': akeso-campaign [options] -- " + Arg +
                " [ARGS...]"});
    std::string Name = Arg, Value;
    bool HasValue = false;
    if (size_t Eq = Arg.find('='); Eq != std::string::npos &&
                                   Arg.compare(0, 2, "--") == 0) {
      Name = Arg.substr(0, Eq);
      Value = Arg.substr(Eq + 1);
      HasValue = true;
    } else if (Arg.size() > 2 && Arg.compare(0, 2, "-j") == 0) {
      Name = "-j"; // -j4, as make takes it
      Value = Arg.substr(2);
      HasValue = true;
    }
    const Spec *S = nullptr;
    for (const Spec &Candidate : Specs)
      if (Name == Candidate.Name ||
          (Candidate.Short && Name == Candidate.Short))
        S = &Candidate;
    if (!S) {
      std::string Best;
      size_t BestDistance = 3;
      for (const Spec &Candidate : Specs) {
        size_t D = editDistance(Name, Candidate.Name);
        if (D < BestDistance) {
          BestDistance = D;
          Best = Candidate.Name;
        }
      }
      fail({"unknown option '" + Name + "'", Where,
            Best.empty() ? "see the list of options below"
                         : "did you mean '" + Best + "'?"});
    }
    if (!S->TakesValue) {
      if (HasValue)
        fail({std::string(S->Name) + " takes no value", Where,
              "write " + std::string(S->Name) + " alone"});
      S->Set("", Where);
      continue;
    }
    if (!HasValue) {
      if (I + 1 >= Argc || std::string_view(Argv[I + 1]) == "--")
        fail({std::string(S->Name) + " needs a value", Where,
              "write " + std::string(S->Name) + " VALUE (see --help)"});
      Value = Argv[++I];
      Where = argumentAt(I) + ", the value of " + S->Name;
    }
    S->Set(Value, Where);
  }

  if (I >= Argc)
    fail({"no target to run", "",
          "put the program and its arguments after '--', e.g. "
          "akeso-campaign --trials 20 -- ./server --port 7000"});
  for (int J = I; J < Argc; ++J)
    O.Target.push_back(Argv[J]);
  O.TargetPath = resolveTarget(O.Target[0], argumentAt(I));

  if (O.Jobs == 0)
    O.Jobs = std::max(1u, std::thread::hardware_concurrency());
  if (O.Trials < O.Jobs)
    O.Jobs = unsigned(O.Trials);

  // The AKESO_OPTIONS to merge with: the last --env AKESO_OPTIONS, or the
  // environment's.
  for (const auto &[Name, Value] : O.Env)
    if (Name == "AKESO_OPTIONS")
      O.UserAkesoOptions = Value;
  if (!O.UserAkesoOptions)
    if (const char *V = std::getenv("AKESO_OPTIONS"))
      O.UserAkesoOptions = V;
  if (O.UserAkesoOptions) {
    std::string_view Items = *O.UserAkesoOptions;
    while (!Items.empty()) {
      size_t Colon = Items.find(':');
      std::string_view Item = Items.substr(0, Colon);
      if (Item == "verbosity=0")
        std::fprintf(stderr,
                     "akeso-campaign: warning: AKESO_OPTIONS has verbosity=0, "
                     "which hides the recovery reports the classification "
                     "reads: every trial will look unrecovered\n");
      if (Colon == std::string_view::npos)
        break;
      Items.remove_prefix(Colon + 1);
    }
  }
  return -1;
}

std::string trialAkesoOptions(const Options &O, uint64_t Seed) {
  std::vector<std::pair<std::string, std::string>> Ours = {
      {"inject", "1"}, {"inject_seed", std::to_string(Seed)}};
  if (O.Period)
    Ours.emplace_back("inject_period", std::to_string(*O.Period));
  if (O.Kind)
    Ours.emplace_back("inject_kind", *O.Kind);
  if (O.Scope)
    Ours.emplace_back("inject_scope", *O.Scope);

  std::vector<bool> Used(Ours.size());
  std::string Result;
  auto Append = [&](std::string_view Item) {
    if (!Result.empty())
      Result += ':';
    Result += Item;
  };
  std::string_view Items = O.UserAkesoOptions
                               ? std::string_view(*O.UserAkesoOptions)
                               : std::string_view();
  while (!Items.empty()) {
    size_t Colon = Items.find(':');
    std::string_view Item = Items.substr(0, Colon);
    std::string_view Name = Item.substr(0, Item.find('='));
    bool Replaced = false;
    for (size_t K = 0; K < Ours.size(); ++K)
      if (Name == Ours[K].first) {
        if (!Used[K])
          Append(Ours[K].first + "=" + Ours[K].second);
        Used[K] = Replaced = true;
      }
    if (!Replaced && !Item.empty())
      Append(Item);
    if (Colon == std::string_view::npos)
      break;
    Items.remove_prefix(Colon + 1);
  }
  for (size_t K = 0; K < Ours.size(); ++K)
    if (!Used[K])
      Append(Ours[K].first + "=" + Ours[K].second);
  return Result;
}

std::string shellQuote(const std::string &S) {
  if (!S.empty() && std::all_of(S.begin(), S.end(), [](char C) {
        return std::isalnum(static_cast<unsigned char>(C)) ||
               (C && std::strchr("_@%+=:,./-", C));
      }))
    return S;
  std::string Q = "'";
  for (char C : S) {
    if (C == '\'')
      Q += "'\\''";
    else
      Q += C;
  }
  return Q + "'";
}

} // namespace akeso::campaign
