//===- threads_test.cpp - domains on several threads at once --------------===//
#include "akeso/abi.h"
#include "akeso/akeso.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace {

constexpr int Threads = 4;
constexpr int Rounds = 2000;

struct alignas(64) Slot {
  long Value = 0;
  long Committed = 0;
};
Slot Slots[Threads];

void worker(int Id) {
  Slot &S = Slots[Id];
  for (int R = 0; R < Rounds; ++R) {
    if (AKESO_DOMAIN_BEGIN(AKESO_BASIC, "round") == 0) {
      __akeso_write_8(&S.Value);
      S.Value += 3;
      if ((R + Id) % 3 == 0)
        akeso_fault("every third round");
      akeso_domain_end();
      S.Committed += 3;
    }
  }
}

} // namespace

TEST(Threads, EachThreadRollsBackOnlyItsOwnDomains) {
  std::vector<std::thread> Pool;
  for (int I = 0; I < Threads; ++I)
    Pool.emplace_back(worker, I);
  for (auto &T : Pool)
    T.join();
  for (int I = 0; I < Threads; ++I) {
    EXPECT_EQ(Slots[I].Value, Slots[I].Committed) << "thread " << I;
    EXPECT_GT(Slots[I].Committed, 0);
  }
}
