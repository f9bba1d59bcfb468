//===- fault_injection.cpp - the injection schedule (004 §6) --------------===//
//
// Each thread draws its periods from its own generator, seeded from
// inject_seed and the thread's index (the order in which threads first
// entered the runtime), so a single-threaded run, or one whose threads are
// created in a fixed order, injects at the same blocks for the same seed
// and input.  Every injection is reported on one line with everything
// needed to find it again.
//
//===----------------------------------------------------------------------===//
#include "fault_injection.h"

#include "domains.h"
#include "options.h"
#include "report.h"

namespace akeso::rt {

namespace {

// xorshift64*: small, fast, and the same everywhere.
uint64_t nextRandom(ThreadState *T) {
  uint64_t X = T->InjectRandom;
  X ^= X >> 12;
  X ^= X << 25;
  X ^= X >> 27;
  T->InjectRandom = X;
  return X * 0x2545F4914F6CDD1DULL;
}

uint64_t nextPeriod(ThreadState *T) {
  const uint64_t P = Flags.InjectPeriod;
  return P + nextRandom(T) % (P + 1);
}

bool inScope(const ThreadState *T) {
  return !T->InRuntime && (Flags.InjectScopeAll || T->CurrentId != 0);
}

// A bit of a word the current domain wrote (its newest logged word): the
// value being stored, as far as the runtime can tell after the fact.
bool corruptRecentWrite(ThreadState *T, uintptr_t &Word, unsigned &Bit) {
  const Domain *D = T->innermost();
  const size_t Start = D ? D->LogStart : 0;
  for (size_t I = T->Log.size(); I-- > Start;) {
    const UndoRecord &R = T->Log[I];
    if (!R.isWord())
      continue;
    Word = R.Target;
    Bit = unsigned(nextRandom(T) % 64);
    __atomic_fetch_xor(reinterpret_cast<uint64_t *>(Word), uint64_t(1) << Bit,
                       __ATOMIC_RELAXED);
    return true;
  }
  return false;
}

} // namespace

void armInjection(ThreadState *T, unsigned ThreadIndex) {
  T->ThreadIndex = ThreadIndex;
  if (!Flags.Inject)
    return;
  // Never 0: xorshift would stay there.
  T->InjectRandom =
      (uint64_t(Flags.InjectSeed) + 1) * 0x9E3779B97F4A7C15ULL ^
      (uint64_t(ThreadIndex) + 1) * 0xBF58476D1CE4E5B9ULL;
  if (!T->InjectRandom)
    T->InjectRandom = 1;
  T->InjectArmed = true;
  T->InjectSaved = T->InjectLastPeriod = nextPeriod(T);
  currentDomainChanged(T, T->CurrentId != 0);
}

void currentDomainChanged(ThreadState *T, bool WasLogged) {
  Counter &Loads = WasLogged ? T->Counters.LoggedLoads
                             : T->Counters.UnloggedLoads;
  Counter &Stores = WasLogged ? T->Counters.LoggedStores
                              : T->Counters.UnloggedStores;
  Loads.add(T->Counters.Loads.get());
  Stores.add(T->Counters.Stores.get());
  T->Counters.Loads.reset();
  T->Counters.Stores.reset();
  if (!T->InjectArmed)
    return;
  if (inScope(T)) {
    if (T->InjectCountdown == 0 && T->InjectSaved) {
      T->InjectCountdown = T->InjectSaved;
      T->InjectSaved = 0;
    }
  } else if (T->InjectCountdown) {
    T->InjectSaved = T->InjectCountdown;
    T->InjectCountdown = 0;
  }
}

} // namespace akeso::rt

using namespace akeso::rt;

extern "C" void __akeso_inject(void *SiteArg) {
  ThreadState *T = enterRuntime();
  auto *Site = static_cast<const akeso_inject_site *>(SiteArg);
  if (!T->InjectArmed)
    return;
  // The countdown that just ran out, and the next one.
  const uint64_t Drawn = nextPeriod(T);
  T->InjectBlocks += T->InjectLastPeriod;
  T->InjectLastPeriod = Drawn;
  T->InjectCountdown = Drawn;
  T->Counters.FaultsInjected.add();
  const uint64_t Number = T->Counters.FaultsInjected.get();
  const char *File = Site && Site->file && Site->file[0] ? Site->file : "?";
  const char *Function = Site && Site->function ? Site->function : "?";
  const unsigned Line = Site ? Site->line : 0, Block = Site ? Site->block : 0;
  if (Flags.InjectKind == InjectionKind::Corrupt) {
    uintptr_t Word = 0;
    unsigned Bit = 0;
    if (corruptRecentWrite(T, Word, Bit))
      report("inject #%llu: corrupt fault at %s block %u (%s:%u) after %llu "
             "blocks (seed %zu, thread %u): flipped bit %u of the word at %p",
             (unsigned long long)Number, Function, Block, File, Line,
             (unsigned long long)T->InjectBlocks, Flags.InjectSeed,
             T->ThreadIndex, Bit, reinterpret_cast<void *>(Word));
    else
      report("inject #%llu: corrupt fault at %s block %u (%s:%u) after %llu "
             "blocks (seed %zu, thread %u): no word written yet, nothing "
             "flipped",
             (unsigned long long)Number, Function, Block, File, Line,
             (unsigned long long)T->InjectBlocks, Flags.InjectSeed,
             T->ThreadIndex);
    return;
  }
  report("inject #%llu: detected fault at %s block %u (%s:%u) after %llu "
         "blocks (seed %zu, thread %u)",
         (unsigned long long)Number, Function, Block, File, Line,
         (unsigned long long)T->InjectBlocks, Flags.InjectSeed,
         T->ThreadIndex);
  FaultSite Where;
  Where.Reason = "injected fault";
  Where.File = Site && Site->file && Site->file[0] ? Site->file : nullptr;
  Where.Line = Line;
  Where.Function = Function;
  raiseFault(T, Where);
}
