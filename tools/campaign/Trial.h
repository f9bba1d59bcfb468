//===- Trial.h - one fault-injection trial ----------------------*- C++ -*-===//
#ifndef AKESO_CAMPAIGN_TRIAL_H
#define AKESO_CAMPAIGN_TRIAL_H

#include "Options.h"
#include "Process.h"
#include "Protocol.h"

#include <optional>
#include <string>
#include <vector>

namespace akeso::campaign {

/// How a trial ended, from the best to the worst; the first rule of
/// classify() that applies wins, in the order hung, crashed, wrong output,
/// recovered, masked, no fault.
enum class Outcome {
  Recovered,   ///< a recovery event, normal exit, output correct
  Masked,      ///< a fault injected, no recovery event, output correct
  NoFault,     ///< no fault injected, no recovery event, output correct
  WrongOutput, ///< normal exit, but the oracle or the workload failed
  Crashed,     ///< killed by a signal, or an exit status other than 0
  Hung,        ///< the watchdog fired
  Error,       ///< the campaign could not run the trial
};
constexpr int NumOutcomes = 7;
const char *outcomeName(Outcome O);
/// Whether the trial ended with correct output despite its faults.
bool survived(Outcome O);

struct TrialResult {
  uint64_t Index = 0, Seed = 0;
  Outcome Result = Outcome::Error;
  /// Why: the signal, the exit status, which command failed, ...
  std::string Detail;

  bool Ran = false; ///< false when interrupted before it ran
  ExitStatus Target;
  bool TargetTerminated = false; ///< got SIGTERM when the workload ended
  std::optional<ExitStatus> Workload, Oracle;
  bool OracleTimedOut = false;
  bool WatchdogFired = false;
  std::string Hung; ///< what was still running when it fired
  double Seconds = 0;

  ProtocolSummary Protocol;
  std::string Dir;    ///< kept trial directory, or ""
  std::string Replay; ///< shell command that runs this trial alone
};

/// What every trial shares.
struct Campaign {
  Options Opts;
  std::string WorkRoot; ///< trial directories are made below it
  bool KeepDirs = false;
  std::vector<std::string> BaseEnv; ///< the campaign's own environment
};

TrialResult runTrial(const Campaign &C, uint64_t Index);

/// The outcome of a finished trial (fills Result and Detail).
void classify(TrialResult &T);

/// `(cd "$(mktemp -d)" && env NAME=VALUE... TARGET ARGS...)`
std::string replayCommand(const Options &O, uint64_t Seed);

} // namespace akeso::campaign

#endif
