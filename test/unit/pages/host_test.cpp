//===- host_test.cpp - the Linux host: write tracking, interception ------===//
//
// What docs/host.md claims about this kernel, checked: a write to a
// protected page of an anonymous mapping is reported once and re-armed by
// the same scan; pages never touched count as written when first touched;
// a write by the kernel (read(2) into the buffer) is tracked too; system
// calls trap to the handler while interception is on, and not while it is
// paused.
//
//===----------------------------------------------------------------------===//
#include "options.h"
#include "pages/host.h"

#include <cstdlib>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace akeso::pages;

namespace {

struct Mapping {
  char *Base;
  size_t Len;
  Mapping(size_t Pages) : Len(Pages * PageSize) {
    Base = static_cast<char *>(mmap(nullptr, Len, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  }
  ~Mapping() { munmap(Base, Len); }
  uintptr_t lo() const { return uintptr_t(Base); }
  uintptr_t hi() const { return uintptr_t(Base) + Len; }
};

size_t writtenPages(const Mapping &M, bool Rearm) {
  PageRun Runs[64];
  uintptr_t End;
  size_t N = hostCollect(M.lo(), M.hi(), Rearm, Runs, 64, &End);
  size_t Pages = 0;
  for (size_t I = 0; I < N; ++I)
    Pages += (Runs[I].Hi - Runs[I].Lo) / PageSize;
  return Pages;
}

// Both ways of tracking writes (AKESO_OPTIONS pages_track=): the same
// contract.
class PagesHost : public ::testing::TestWithParam<const char *> {
protected:
  void SetUp() override {
    akeso::rt::Flags.PagesTrackUffd = strcmp(GetParam(), "uffd") == 0;
    char Why[256];
    ASSERT_TRUE(hostOpen(Why, sizeof(Why))) << Why;
  }
  void TearDown() override { hostClose(); }
};

} // namespace

TEST_P(PagesHost, WritesAreReportedOnceAndRearmed) {
  Mapping M(16);
  memset(M.Base, 1, M.Len);
  ASSERT_EQ(hostTrack(M.lo(), M.hi()), 0);
  ASSERT_EQ(hostProtect(M.lo(), M.hi()), 0);
  EXPECT_EQ(writtenPages(M, true), 0u);
  M.Base[0] = 2;
  M.Base[5 * PageSize + 7] = 2;
  M.Base[5 * PageSize + 9] = 3; // same page
  EXPECT_EQ(writtenPages(M, false), 2u); // without re-arming: still there
  EXPECT_EQ(writtenPages(M, true), 2u);
  EXPECT_EQ(writtenPages(M, true), 0u); // re-armed by the scan
  M.Base[15 * PageSize] = 4;
  EXPECT_EQ(writtenPages(M, true), 1u);
}

TEST_P(PagesHost, FreshPagesCountAsWritten) {
  Mapping M(8); // never touched
  ASSERT_EQ(hostTrack(M.lo(), M.hi()), 0);
  ASSERT_EQ(hostProtect(M.lo(), M.hi()), 0);
  M.Base[3 * PageSize] = 1;
  EXPECT_EQ(writtenPages(M, true), 1u);
  volatile char Read = M.Base[6 * PageSize]; // a read is not a write
  (void)Read;
  EXPECT_EQ(writtenPages(M, true), 0u);
}

TEST_P(PagesHost, KernelWritesAreTracked) {
  Mapping M(4);
  memset(M.Base, 0, M.Len);
  ASSERT_EQ(hostTrack(M.lo(), M.hi()), 0);
  ASSERT_EQ(hostProtect(M.lo(), M.hi()), 0);
  int Fd = open("/proc/self/stat", O_RDONLY);
  ASSERT_GE(Fd, 0);
  ASSERT_GT(read(Fd, M.Base + 2 * PageSize, 16), 0);
  close(Fd);
  EXPECT_EQ(writtenPages(M, true), 1u);
}

TEST_P(PagesHost, PresentPagesAndDiscard) {
  Mapping M(8);
  M.Base[PageSize] = 9;
  M.Base[4 * PageSize] = 9;
  PageRun Runs[8];
  uintptr_t End;
  size_t N = hostPresent(M.lo(), M.hi(), Runs, 8, &End);
  ASSERT_EQ(N, 2u);
  EXPECT_EQ(Runs[0].Lo, M.lo() + PageSize);
  hostDiscard(M.lo() + PageSize, M.lo() + 2 * PageSize);
  EXPECT_EQ(M.Base[PageSize], 0); // anonymous: zeros again
  EXPECT_EQ(M.Base[4 * PageSize], 9);
}

INSTANTIATE_TEST_SUITE_P(Tracking, PagesHost,
                         ::testing::Values("uffd", "compare"));

namespace {
long Trapped = 0, LastNr = -1;
long countingHandler(long Nr, const long *A, uintptr_t) {
  ++Trapped;
  LastNr = Nr;
  if (Nr == SYS_getppid)
    return 4242; // emulated
  return hostSyscall(Nr, A[0], A[1], A[2], A[3], A[4], A[5]);
}
} // namespace

TEST_P(PagesHost, SyscallsTrapOnlyWhileIntercepting) {
  Trapped = 0;
  LastNr = -1;
  char Why[256];
  ASSERT_TRUE(hostInterceptInstall(countingHandler, Why, sizeof(Why))) << Why;
  const long Real = syscall(SYS_getppid);
  EXPECT_NE(Real, 4242); // installed, but paused
  hostInterceptResume();
  const long Emulated = syscall(SYS_getppid);
  const long Pid = syscall(SYS_getpid);
  hostInterceptPause();
  EXPECT_EQ(Emulated, 4242);
  EXPECT_EQ(Pid, getpid());
  EXPECT_EQ(Trapped, 2);
  EXPECT_EQ(LastNr, SYS_getpid);
  hostInterceptStop();
  EXPECT_NE(syscall(SYS_getppid), 4242);
  EXPECT_EQ(Trapped, 2);
}
