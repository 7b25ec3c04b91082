// The baseline of `trainsim bench run`: a bare SimGrid activity graph with the shape and size of
// a replay (per iteration and rank: loader read, load, host-to-device copy, forward, backward
// chunks, a marker per chunk, optimizer; per bucket a ring all-reduce of 2(n-1) steps over the
// channels), built two iterations ahead from completion callbacks as the replay builds it, but
// without trainsim's bookkeeping: no records, events, jitter, statistics or companions.
// SimGrid-free entry point; one per process.
#pragma once

#include "sim/engine/run.hpp"

namespace trainsim {

struct BareResult {
  long long activities = 0;
  double wall_s = 0;
  double cpu_s = 0;
};

// Builds iterations of the replay's shape until at least `activities` have been created, runs them.
[[nodiscard]] BareResult run_bare_replay(const PreparedRun& run, long long activities);

}  // namespace trainsim
