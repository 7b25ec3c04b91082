// A synthetic training run for `trainsim _trace-sample` (a test and benchmark aid, not a model):
// events shaped like the engine's (loader, stall, h2d, forward, bucketed backward, ring all-reduce
// transfers, optimizer, validation and checkpoint at epoch ends) with seeded jitter, and the
// iteration and epoch rows that those events imply. The same spec gives the same numbers.
#pragma once

#include <cstdint>
#include <string>

#include "sim/engine/events.hpp"
#include "sim/engine/results.hpp"

namespace trainsim::cli {

struct SyntheticSpec {
  std::string gpu = "rtx3090";
  std::string node = "4x-rtx3090-pcie";
  int ranks = 4;
  int buckets = 11;                   // HRNet-W44's 67 M fp32 gradients in 25 MB buckets
  long long iterations = 24;
  long long iterations_per_epoch = 8;
  long long max_events = 0;           // > 0: keep going until exactly this many events
  double speed = 1;                   // relative GPU speed (compute, PCIe, optimizer)
  double link_speed = 1;              // relative GPU-to-GPU link speed (1: 10 GB/s)
  std::uint64_t seed = 1;
};

// Records every event into `recorder` as it "finishes" (in end-time order within an iteration)
// and returns the rows and the summary.
[[nodiscard]] RunResult synthetic_run(const SyntheticSpec& spec, Recorder& recorder);

}  // namespace trainsim::cli
