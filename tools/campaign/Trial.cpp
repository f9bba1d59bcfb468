//===- Trial.cpp - one fault-injection trial ------------------------------===//
//
// A trial: make its directory, start the target (and the workload, if
// any), wait for them under the watchdog, read the runtime's reports from
// the target's stderr, run the oracle, classify.
//
// With a workload the target is taken to be a server: when the workload
// exits, the target gets SIGTERM (ending by that signal, or with status 0 or
// 143, is a normal end); when the target ends abnormally first, the
// workload is killed, since it has nothing left to drive.  A target that
// exits normally while its workload runs waits for the workload.
//
//===----------------------------------------------------------------------===//
#include "Trial.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace akeso::campaign {

const char *outcomeName(Outcome O) {
  switch (O) {
  case Outcome::Recovered:
    return "recovered";
  case Outcome::Masked:
    return "masked";
  case Outcome::NoFault:
    return "no fault";
  case Outcome::WrongOutput:
    return "wrong output";
  case Outcome::Crashed:
    return "crashed";
  case Outcome::Hung:
    return "hung";
  case Outcome::Error:
    break;
  }
  return "error";
}

bool survived(Outcome O) {
  return O == Outcome::Recovered || O == Outcome::Masked;
}

namespace {

using Vars = std::vector<std::pair<std::string, std::string>>;

/// Base with each of Overrides replacing a variable of the same name (the
/// last of several overrides of one name wins).
std::vector<std::string> withVars(const std::vector<std::string> &Base,
                                  const Vars &Overrides) {
  std::map<std::string, std::string> Last;
  for (const auto &[Name, Value] : Overrides)
    Last[Name] = Value;
  std::vector<std::string> Env;
  for (const std::string &E : Base)
    if (!Last.count(E.substr(0, E.find('='))))
      Env.push_back(E);
  for (const auto &[Name, Value] : Overrides)
    if (Last.count(Name) && Last[Name] == Value) {
      Env.push_back(Name + "=" + Value);
      Last.erase(Name);
    }
  return Env;
}

/// The target's variables: --env (AKESO_OPTIONS left out), then the
/// merged AKESO_OPTIONS, each name once (the last --env of a name wins).
Vars targetVars(const Options &O, uint64_t Seed) {
  std::map<std::string, std::string> Last;
  for (const auto &[Name, Value] : O.Env)
    Last[Name] = Value;
  Vars V;
  for (const auto &[Name, Value] : O.Env)
    if (Name != "AKESO_OPTIONS" && Last.count(Name) && Last[Name] == Value) {
      V.emplace_back(Name, Value);
      Last.erase(Name);
    }
  V.emplace_back("AKESO_OPTIONS", trialAkesoOptions(O, Seed));
  return V;
}

bool endedNormally(const ExitStatus &S, bool Terminated) {
  if (!S.Signaled && S.Code == 0)
    return true;
  return Terminated && ((S.Signaled && S.Code == SIGTERM) ||
                        (!S.Signaled && S.Code == 128 + SIGTERM));
}

} // namespace

std::string replayCommand(const Options &O, uint64_t Seed) {
  std::string Cmd = "(cd \"$(mktemp -d)\" && env";
  for (const auto &[Name, Value] : targetVars(O, Seed))
    Cmd += " " + shellQuote(Name + "=" + Value);
  Cmd += " " + shellQuote(O.TargetPath);
  for (size_t I = 1; I < O.Target.size(); ++I)
    Cmd += " " + shellQuote(O.Target[I]);
  return Cmd + ")";
}

void classify(TrialResult &T) {
  const size_t Faults = T.Protocol.Faults.size();
  const size_t Recoveries = T.Protocol.Recoveries.size();
  auto Set = [&](Outcome O, std::string Detail) {
    T.Result = O;
    T.Detail = std::move(Detail);
  };
  if (T.Result == Outcome::Error && !T.Detail.empty())
    return; // could not run: the reason is already there
  if (T.WatchdogFired)
    return Set(Outcome::Hung, T.Hung + " still running after the " +
                                  "timeout, killed with SIGKILL");
  if (!endedNormally(T.Target, T.TargetTerminated)) {
    std::string D = T.Target.describe();
    if (!T.Protocol.Fatal.empty())
      D += " after 'akeso: " + T.Protocol.Fatal + "'";
    return Set(Outcome::Crashed, D);
  }
  if (T.Workload && (T.Workload->Signaled || T.Workload->Code != 0))
    return Set(Outcome::WrongOutput, "workload " + T.Workload->describe());
  if (T.OracleTimedOut)
    return Set(Outcome::WrongOutput,
               "oracle still running after the timeout, killed");
  if (T.Oracle && (T.Oracle->Signaled || T.Oracle->Code != 0))
    return Set(Outcome::WrongOutput, "oracle " + T.Oracle->describe());
  if (Recoveries)
    return Set(Outcome::Recovered,
               std::to_string(Recoveries) +
                   (Recoveries == 1 ? " recovery" : " recoveries"));
  if (Faults)
    return Set(Outcome::Masked, "no recovery event, output correct");
  Set(Outcome::NoFault, "no fault injected");
}

TrialResult runTrial(const Campaign &C, uint64_t Index) {
  const Options &O = C.Opts;
  TrialResult T;
  T.Index = Index;
  T.Seed = O.Seed + Index;
  T.Replay = replayCommand(O, T.Seed);
  if (Interrupted.load())
    return T;

  char Name[32];
  std::snprintf(Name, sizeof(Name), "trial-%06llu", (unsigned long long)Index);
  const std::string Dir = (fs::path(C.WorkRoot) / Name).string();
  auto Fail = [&](std::string Why) {
    T.Ran = true;
    T.Result = Outcome::Error;
    T.Detail = std::move(Why);
    return T;
  };
  std::error_code EC;
  fs::create_directories(Dir, EC);
  if (EC)
    return Fail("cannot create " + Dir + ": " + EC.message());
  const std::string Stdout = Dir + "/stdout", Stderr = Dir + "/stderr";
  const Vars TrialVars = {{"AKESO_TRIAL_DIR", Dir},
                          {"AKESO_TRIAL_INDEX", std::to_string(Index)},
                          {"AKESO_TRIAL_SEED", std::to_string(T.Seed)},
                          {"AKESO_TRIAL_STDOUT", Stdout},
                          {"AKESO_TRIAL_STDERR", Stderr}};
  const auto Timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(O.Timeout));

  SpawnSpec TargetSpec{O.TargetPath, O.Target, withVars(C.BaseEnv,
                                                        targetVars(O, T.Seed)),
                       Dir, Stdout, Stderr};
  TargetSpec.Argv[0] = O.TargetPath;
  Child Target, Workload;
  std::string Error;
  const auto Start = Clock::now();
  const auto Deadline = Start + Timeout;
  if (!Target.spawn(TargetSpec, Error))
    return Fail(Error);
  if (O.Workload) {
    Vars V = TrialVars;
    V.emplace_back("AKESO_TARGET_PID", std::to_string(Target.pid()));
    SpawnSpec Spec{"/bin/sh", {"sh", "-c", *O.Workload},
                   withVars(C.BaseEnv, V), Dir, Dir + "/workload.stdout",
                   Dir + "/workload.stderr"};
    if (!Workload.spawn(Spec, Error))
      return Fail("workload: " + Error);
  }

  bool TermSent = false, WorkloadKilled = false;
  while (true) {
    waitForAny({&Target, &Workload}, Deadline);
    if (Interrupted.load()) {
      Target.kill();
      Workload.kill();
      if (!C.KeepDirs)
        fs::remove_all(Dir, EC);
      return T;
    }
    const bool TargetDone = !Target.running();
    const bool WorkloadDone = !Workload.running();
    if (TargetDone && WorkloadDone)
      break;
    if (TargetDone && !endedNormally(Target.status(), TermSent)) {
      Workload.kill(); // nothing left to drive
      WorkloadKilled = true;
      break;
    }
    if (Clock::now() >= Deadline) {
      T.WatchdogFired = true;
      T.Hung = !TargetDone && Workload.running() ? "target and workload"
               : !TargetDone                      ? "target"
                                                  : "workload";
      Target.kill();
      Workload.kill();
      WorkloadKilled = true;
      break;
    }
    if (O.Workload && WorkloadDone && !TermSent) {
      Target.signalGroup(SIGTERM); // the workload is over: stop the server
      TermSent = true;
    }
  }
  T.Seconds = std::chrono::duration<double>(Clock::now() - Start).count();
  T.Ran = true;
  T.Target = Target.status();
  T.TargetTerminated = TermSent;
  if (Workload.started() && !WorkloadKilled)
    T.Workload = Workload.status();
  T.Protocol = parseProtocolFile(Stderr);

  const bool WorkloadOk =
      !T.Workload || (!T.Workload->Signaled && T.Workload->Code == 0);
  if (O.Oracle && !T.WatchdogFired &&
      endedNormally(T.Target, T.TargetTerminated) && WorkloadOk) {
    Vars V = TrialVars;
    V.emplace_back("AKESO_TRIAL_EXIT",
                   std::to_string(T.Target.shellStatus()));
    SpawnSpec Spec{"/bin/sh", {"sh", "-c", *O.Oracle}, withVars(C.BaseEnv, V),
                   Dir, Dir + "/oracle.stdout", Dir + "/oracle.stderr"};
    Child Oracle;
    if (!Oracle.spawn(Spec, Error))
      return Fail("oracle: " + Error);
    waitForAny({&Oracle}, Clock::now() + Timeout);
    if (Interrupted.load()) {
      Oracle.kill();
      T.Ran = false;
      if (!C.KeepDirs)
        fs::remove_all(Dir, EC);
      return T;
    }
    if (Oracle.running()) {
      Oracle.kill();
      T.OracleTimedOut = true;
    } else {
      T.Oracle = Oracle.status();
    }
  }

  classify(T);
  if (C.KeepDirs)
    T.Dir = Dir;
  else
    fs::remove_all(Dir, EC);
  return T;
}

} // namespace akeso::campaign
