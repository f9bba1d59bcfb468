//===- Options.h - akeso-campaign's command line ----------------*- C++ -*-===//
#ifndef AKESO_CAMPAIGN_OPTIONS_H
#define AKESO_CAMPAIGN_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace akeso::campaign {

struct Options {
  uint64_t Trials = 100;
  unsigned Jobs = 0; ///< 0 until parsed: the hardware concurrency
  uint64_t Seed = 1;
  double Timeout = 60;
  std::optional<std::string> Workload, Oracle;
  /// --env NAME=VALUE, in order; a later one replaces an earlier one.
  std::vector<std::pair<std::string, std::string>> Env;
  std::optional<uint64_t> Period;
  std::optional<std::string> Kind, Scope;
  std::optional<std::string> JsonPath, SvgPath, KeepDir;
  bool Quiet = false;
  /// TARGET and its arguments as given; TargetPath is TARGET resolved to an
  /// absolute path (trials run in their own directories).
  std::vector<std::string> Target;
  std::string TargetPath;

  /// The AKESO_OPTIONS the target would get without the campaign (from
  /// --env or the environment), and whether it was set at all.
  std::optional<std::string> UserAkesoOptions;
};

/// Parses argv into O.  Returns -1 to go on, or the exit status to stop
/// with (0 after --help, 2 after a usage error, already reported).
int parseCommandLine(int Argc, char **Argv, Options &O);

/// AKESO_OPTIONS for one trial: User's name=value items with the
/// campaign's (inject=1, inject_seed, and inject_period/kind/scope when
/// given) replacing items of the same name and the others appended.
std::string trialAkesoOptions(const Options &O, uint64_t Seed);

/// Quotes S for a POSIX shell (unchanged when it needs no quoting).
std::string shellQuote(const std::string &S);

} // namespace akeso::campaign

#endif
