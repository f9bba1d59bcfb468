//===- Report.h - tables, JSON, SVG and progress ----------------*- C++ -*-===//
#ifndef AKESO_CAMPAIGN_REPORT_H
#define AKESO_CAMPAIGN_REPORT_H

#include "Trial.h"

#include <array>
#include <cstdio>
#include <mutex>
#include <vector>

namespace akeso::campaign {

struct OutcomeStats {
  uint64_t Trials = 0, Faults = 0, FaultsRecovered = 0, Recoveries = 0,
           Collateral = 0;
  double TotalSeconds = 0, MaxSeconds = 0;
  double meanSeconds() const { return Trials ? TotalSeconds / double(Trials) : 0; }
};

struct Summary {
  uint64_t Planned = 0, Ran = 0;
  bool WasInterrupted = false;
  double WallSeconds = 0;
  std::array<OutcomeStats, NumOutcomes> By{};
  OutcomeStats All;
  uint64_t FaultsFatal = 0, FaultsUnreported = 0;
  /// Survival: trials that had a fault or failed (every trial that ran but
  /// "no fault" and "error"), and those of them that recovered or masked.
  uint64_t Eligible = 0, Survived = 0;

  const OutcomeStats &of(Outcome O) const { return By[size_t(O)]; }
};

Summary summarize(const std::vector<TrialResult> &Trials, uint64_t Planned,
                  double WallSeconds, bool WasInterrupted);

/// The table, the survival lines, and the replay command of every trial
/// that did not recover.
void printReport(std::FILE *Out, const Campaign &C, const Summary &S,
                 const std::vector<TrialResult> &Trials);

void writeJson(std::FILE *Out, const Campaign &C, const Summary &S,
               const std::vector<TrialResult> &Trials);

void writeSvg(std::FILE *Out, const Campaign &C, const Summary &S,
              const std::vector<TrialResult> &Trials);

/// Progress on stderr: one line per finished trial, or one line updated in
/// place when stderr is a terminal.
class Progress {
public:
  Progress(uint64_t Planned, bool Enabled);
  void finished(const TrialResult &T);
  void done();

private:
  std::mutex Lock;
  uint64_t Planned, Count = 0;
  bool Enabled, Terminal;
  std::array<uint64_t, NumOutcomes> Counts{};
};

} // namespace akeso::campaign

#endif
