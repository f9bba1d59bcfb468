//===- Process.cpp - child processes with a watchdog ----------------------===//
#include "Process.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace akeso::campaign {

std::atomic<bool> Interrupted{false};

static void onInterrupt(int) { Interrupted.store(true); }

void installInterruptHandlers() {
  struct sigaction SA {};
  SA.sa_handler = onInterrupt;
  sigemptyset(&SA.sa_mask);
  for (int Signal : {SIGINT, SIGTERM, SIGHUP})
    sigaction(Signal, &SA, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

std::string signalName(int Signal) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
  if (const char *Abbrev = sigabbrev_np(Signal))
    return std::string("SIG") + Abbrev;
#endif
  return "signal " + std::to_string(Signal);
}

std::string ExitStatus::describe() const {
  if (!Signaled)
    return "exit status " + std::to_string(Code);
  return "killed by " + signalName(Code) + (CoreDumped ? " (core dumped)" : "");
}

Child::~Child() {
  if (running())
    kill();
}

bool Child::spawn(const SpawnSpec &Spec, std::string &Error) {
  posix_spawn_file_actions_t Actions;
  posix_spawnattr_t Attr;
  posix_spawn_file_actions_init(&Actions);
  posix_spawnattr_init(&Attr);
  posix_spawn_file_actions_addchdir_np(&Actions, Spec.Cwd.c_str());
  posix_spawn_file_actions_addopen(&Actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&Actions, 1, Spec.Stdout.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&Actions, 2, Spec.Stderr.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
  posix_spawn_file_actions_addclosefrom_np(&Actions, 3);
#endif
  // A new process group, no blocked signals, and every signal back to its
  // default action (the campaign ignores SIGPIPE and catches SIGINT).
  posix_spawnattr_setflags(&Attr, POSIX_SPAWN_SETPGROUP |
                                      POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&Attr, 0);
  sigset_t Signals;
  sigemptyset(&Signals);
  posix_spawnattr_setsigmask(&Attr, &Signals);
  for (int Signal = 1; Signal < NSIG; ++Signal)
    if (Signal != SIGKILL && Signal != SIGSTOP)
      sigaddset(&Signals, Signal);
  posix_spawnattr_setsigdefault(&Attr, &Signals);

  std::vector<char *> Argv, Envp;
  for (const std::string &A : Spec.Argv)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);
  for (const std::string &E : Spec.Env)
    Envp.push_back(const_cast<char *>(E.c_str()));
  Envp.push_back(nullptr);

  int Err = posix_spawn(&Pid, Spec.Path.c_str(), &Actions, &Attr, Argv.data(),
                        Envp.data());
  posix_spawn_file_actions_destroy(&Actions);
  posix_spawnattr_destroy(&Attr);
  if (Err) {
    Pid = -1;
    Error = "cannot run " + Spec.Path + ": " + std::strerror(Err);
    return false;
  }
  Done = false;
  PidFd = int(syscall(SYS_pidfd_open, Pid, 0)); // -1: poll for the exit
  return true;
}

bool Child::check() {
  if (Done)
    return true;
  if (Pid <= 0)
    return false;
  siginfo_t Info;
  std::memset(&Info, 0, sizeof(Info));
  int R;
  do
    R = waitid(P_PID, id_t(Pid), &Info, WEXITED | WNOHANG | WNOWAIT);
  while (R != 0 && errno == EINTR);
  if (R != 0 || Info.si_pid == 0)
    return false;
  Status.Signaled = Info.si_code != CLD_EXITED;
  Status.CoreDumped = Info.si_code == CLD_DUMPED;
  Status.Code = Info.si_status;
  // The leader is still a zombie, so the group id is still ours: kill
  // whatever the child left running, then reap it.
  ::kill(-Pid, SIGKILL);
  while (waitpid(Pid, nullptr, 0) < 0 && errno == EINTR)
    ;
  if (PidFd >= 0)
    close(PidFd);
  PidFd = -1;
  Done = true;
  return true;
}

void Child::signalGroup(int Signal) {
  if (running())
    ::kill(-Pid, Signal);
}

void Child::kill() {
  if (!running())
    return;
  signalGroup(SIGKILL);
  siginfo_t Info;
  while (waitid(P_PID, id_t(Pid), &Info, WEXITED | WNOWAIT) != 0 &&
         errno == EINTR)
    ;
  check();
}

void waitForAny(const std::vector<Child *> &Children,
                Clock::time_point Deadline) {
  using namespace std::chrono;
  while (true) {
    bool AnyRunning = false, AllHaveFds = true;
    std::vector<pollfd> Fds;
    for (Child *C : Children) {
      if (!C->running())
        continue;
      if (C->check())
        return;
      AnyRunning = true;
      if (C->PidFd >= 0)
        Fds.push_back({C->PidFd, POLLIN, 0});
      else
        AllHaveFds = false;
    }
    if (!AnyRunning || Interrupted.load())
      return;
    auto Now = Clock::now();
    if (Now >= Deadline)
      return;
    // Short slices, so an interrupt is noticed soon.
    auto Slice = std::min<Clock::duration>(
        Deadline - Now, AllHaveFds ? milliseconds(100) : milliseconds(5));
    int Ms = int(ceil<milliseconds>(Slice).count());
    if (AllHaveFds)
      poll(Fds.data(), Fds.size(), std::max(Ms, 1));
    else
      std::this_thread::sleep_for(Slice);
  }
}

} // namespace akeso::campaign
