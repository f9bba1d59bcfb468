// C++: a member function named by its C++ name in the annotation file,
// objects created with new and destroyed with delete inside the domain,
// a standard container, and an exception passing through a domain (which
// ends the domain on its way out, like a return).
// RUN: %akeso-cxx -Wno-backend-plugin --akeso-annotations=%S/Inputs/requests.yaml -O2 -std=c++20 %s -o %t
// RUN: %t 2>&1 | FileCheck %s
#include <akeso/akeso.h>

#include <cstdio>
#include <unordered_map>
#include <stdexcept>
#include <string>

namespace kv {
struct Entry {
  std::string value;
  int version = 0;
};

class Store {
public:
  bool put(const std::string &key, const std::string &value);
  int throwing(int x);
  // Not std::map: its rebalancing runs inside libstdc++.so, which is not
  // instrumented (docs/semantics.md, "What is not undone").
  std::unordered_map<std::string, Entry *> entries;
  long puts = 0;
};

bool Store::put(const std::string &key, const std::string &value) {
  ++puts;
  auto &slot = entries[key];
  Entry *old = slot;
  slot = new Entry{value, old ? old->version + 1 : 1};
  delete old;
  if (value == "poison")
    akeso_fault("poisoned value");
  return true;
}

int Store::throwing(int x) {
  ++puts;
  if (x > 0)
    throw std::runtime_error("thrown through a domain");
  return 0;
}
} // namespace kv

int main() {
  setvbuf(stdout, nullptr, _IONBF, 0);
  kv::Store s;
  s.put("a", "one");
  s.put("b", "two");
  bool ok = s.put("a", "poison");
  // CHECK: fault in domain 'kv::Store::put({{.*}})'{{.*}}poisoned value
  // CHECK: put returned 0; a=one v1 keys=2 puts=2
  std::printf("put returned %d; a=%s v%d keys=%zu puts=%ld\n", ok,
              s.entries["a"]->value.c_str(), s.entries["a"]->version,
              s.entries.size(), s.puts);
  ok = s.put("c", "poison");
  // CHECK: new key rolled back: 0 keys=2
  std::printf("new key rolled back: %d keys=%zu\n", ok, s.entries.size());
  try {
    s.throwing(1);
  } catch (const std::exception &e) {
    // CHECK: caught: thrown through a domain; depth=0 puts=3
    std::printf("caught: %s; depth=%u puts=%ld\n", e.what(),
                akeso_domain_depth(), s.puts);
  }
  for (auto &[k, e] : s.entries)
    delete e;
  return 0;
}
