//===- Process.h - child processes with a watchdog --------------*- C++ -*-===//
//
// A child runs in its own process group (so that the whole group, with any
// processes it started, can be killed at once), in a given directory, with
// stdin from /dev/null and stdout/stderr to files.  Its exit is noticed
// through a pidfd where the kernel has them, and the child is not reaped
// until the rest of its process group has been killed: while the leader is
// a zombie its process group id cannot be reused, so the kill can never hit
// a stranger.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_CAMPAIGN_PROCESS_H
#define AKESO_CAMPAIGN_PROCESS_H

#include <atomic>
#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace akeso::campaign {

using Clock = std::chrono::steady_clock;

/// Set by SIGINT/SIGTERM/SIGHUP: trials stop waiting and kill their
/// children.
extern std::atomic<bool> Interrupted;
void installInterruptHandlers();

struct SpawnSpec {
  std::string Path;               ///< absolute path of the program
  std::vector<std::string> Argv;  ///< argv, argv[0] included
  std::vector<std::string> Env;   ///< NAME=VALUE, the whole environment
  std::string Cwd, Stdout, Stderr; ///< directory and output files
};

/// How a child ended.
struct ExitStatus {
  bool Signaled = false;
  int Code = 0; ///< exit code, or the signal number
  bool CoreDumped = false;
  /// The shell's convention: the code, or 128 + the signal.
  int shellStatus() const { return Signaled ? 128 + Code : Code; }
  std::string describe() const;
};

std::string signalName(int Signal);

class Child {
public:
  Child() = default;
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;
  ~Child();

  /// Starts the child; on failure returns false with the reason in Error.
  bool spawn(const SpawnSpec &Spec, std::string &Error);
  bool running() const { return Pid > 0 && !Done; }
  bool started() const { return Pid > 0; }
  pid_t pid() const { return Pid; }
  const ExitStatus &status() const { return Status; }

  /// Notices an exit without blocking (and then kills the rest of the
  /// group and reaps the child).  Returns true when the child has ended.
  bool check();
  /// Sends Signal to the child's whole process group.
  void signalGroup(int Signal);
  /// SIGKILL to the group, then waits for the child.
  void kill();

private:
  pid_t Pid = -1;
  int PidFd = -1;
  bool Done = false;
  ExitStatus Status;
  friend void waitForAny(const std::vector<Child *> &, Clock::time_point);
};

/// Returns when one of the running children in Children has ended, at
/// Deadline, or soon after an interrupt, whichever is first.
void waitForAny(const std::vector<Child *> &Children,
                Clock::time_point Deadline);

} // namespace akeso::campaign

#endif
