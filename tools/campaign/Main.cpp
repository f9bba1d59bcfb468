//===- Main.cpp - akeso-campaign: fault-injection campaigns ---------------===//
//
//   akeso-campaign [options] -- TARGET [ARGS...]
//
// Runs TARGET once per trial with AKESO_OPTIONS asking the runtime for
// injected faults (trial i with seed S+i), J trials at a time, and
// classifies each from its exit, the watchdog, the oracle and the runtime's
// reports on stderr (docs/campaign.md).  Trials are handed out in index
// order to J tasks of a TBB arena; each task spends its time waiting for
// child processes, so J may well exceed the number of cores.
//
//===----------------------------------------------------------------------===//
#include "Options.h"
#include "Process.h"
#include "Report.h"
#include "Trial.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char **environ;

using namespace akeso::campaign;
namespace fs = std::filesystem;

namespace {

std::FILE *openOutput(const std::string &Option, const std::string &Path) {
  if (Path == "-")
    return stdout;
  std::FILE *F = std::fopen(Path.c_str(), "we");
  if (!F) {
    std::fprintf(stderr,
                 "akeso-campaign: error: %s: cannot write '%s': %s; choose a "
                 "path you can write\n",
                 Option.c_str(), Path.c_str(), std::strerror(errno));
    std::exit(2);
  }
  return F;
}

bool closeOutput(std::FILE *F, const std::string &Option,
                 const std::string &Path) {
  bool Ok = std::fflush(F) == 0 && !std::ferror(F);
  if (F != stdout)
    Ok = std::fclose(F) == 0 && Ok;
  if (!Ok)
    std::fprintf(stderr, "akeso-campaign: error: %s: writing '%s' failed: %s\n",
                 Option.c_str(), Path.c_str(), std::strerror(errno));
  return Ok;
}

} // namespace

int main(int Argc, char **Argv) {
  Campaign C;
  if (int Status = parseCommandLine(Argc, Argv, C.Opts); Status >= 0)
    return Status;
  const Options &O = C.Opts;

  // Outputs are opened now, so that a campaign never runs for an hour to
  // find out it cannot write its results.
  std::FILE *Json = O.JsonPath ? openOutput("--json", *O.JsonPath) : nullptr;
  std::FILE *Svg = O.SvgPath ? openOutput("--svg", *O.SvgPath) : nullptr;

  std::error_code EC;
  if (O.KeepDir) {
    C.KeepDirs = true;
    C.WorkRoot = *O.KeepDir;
    fs::create_directories(C.WorkRoot, EC);
    if (EC) {
      std::fprintf(stderr,
                   "akeso-campaign: error: --keep-dir: cannot create '%s': "
                   "%s; choose a directory you can write\n",
                   C.WorkRoot.c_str(), EC.message().c_str());
      return 2;
    }
  } else {
    const char *Tmp = std::getenv("TMPDIR");
    std::string Template =
        std::string(Tmp && *Tmp ? Tmp : "/tmp") + "/akeso-campaign.XXXXXX";
    if (!mkdtemp(Template.data())) {
      std::fprintf(stderr,
                   "akeso-campaign: error: cannot create a directory for the "
                   "trials in %s: %s; set TMPDIR to a writable directory\n",
                   Tmp && *Tmp ? Tmp : "/tmp", std::strerror(errno));
      return 2;
    }
    C.WorkRoot = Template;
  }
  for (char **E = environ; *E; ++E)
    C.BaseEnv.emplace_back(*E);

  installInterruptHandlers();
  if (!O.Quiet)
    std::fprintf(stderr,
                 "akeso-campaign: %llu trials of %s, %u at a time, seeds "
                 "%llu..%llu, timeout %g s\n",
                 (unsigned long long)O.Trials, O.TargetPath.c_str(), O.Jobs,
                 (unsigned long long)O.Seed,
                 (unsigned long long)(O.Seed + O.Trials - 1), O.Timeout);

  std::vector<TrialResult> Results(O.Trials);
  Progress Report(O.Trials, !O.Quiet);
  const auto Start = Clock::now();
  {
    tbb::global_control Limit(tbb::global_control::max_allowed_parallelism,
                              O.Jobs);
    tbb::task_arena Arena(int(O.Jobs));
    std::atomic<uint64_t> Next{0};
    Arena.execute([&] {
      tbb::task_group Group;
      for (unsigned J = 0; J < O.Jobs; ++J)
        Group.run([&] {
          for (uint64_t I; (I = Next.fetch_add(1)) < O.Trials;) {
            Results[I] = runTrial(C, I);
            Report.finished(Results[I]);
          }
        });
      Group.wait();
    });
  }
  Report.done();
  const double Wall =
      std::chrono::duration<double>(Clock::now() - Start).count();

  const bool WasInterrupted = Interrupted.load();
  Summary S = summarize(Results, O.Trials, Wall, WasInterrupted);
  printReport(Json == stdout ? stderr : stdout, C, S, Results);
  bool Ok = true;
  if (Json) {
    writeJson(Json, C, S, Results);
    Ok = closeOutput(Json, "--json", *O.JsonPath) && Ok;
  }
  if (Svg) {
    writeSvg(Svg, C, S, Results);
    Ok = closeOutput(Svg, "--svg", *O.SvgPath) && Ok;
  }
  if (!C.KeepDirs)
    fs::remove_all(C.WorkRoot, EC);
  if (WasInterrupted) {
    std::fprintf(stderr, "akeso-campaign: interrupted after %llu of %llu "
                         "trials\n",
                 (unsigned long long)S.Ran, (unsigned long long)S.Planned);
    return 130;
  }
  if (!Ok || S.of(Outcome::Error).Trials)
    return 1;
  return 0;
}
