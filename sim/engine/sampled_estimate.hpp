// After a sampled replay: estimates for the whole run from the epochs that were replayed.
//
// A replayed epoch e of N iterations was simulated for its first m: warm-up, a steady sample S
// (its iterations from `warmup` on), and the tail that drains the loaders. The m - N missing
// iterations are steady ones, so
//   T(e) = T_replayed(e) + (N - m) * mean(S),  95 % CI half-width (N - m) * h(S),
// with mean(S) and h(S) from the method of batch means (sim/model/sampling.hpp). Every epoch of the
// run takes T of the replayed epoch that represents it (epoch_plan.hpp). The run's CI adds the
// epochs' half-widths (their errors are the same error, fully correlated). Iteration statistics
// are those of the full run's definition (the run's first iteration left out), each replayed
// iteration counted for every epoch it stands for and each steady one also for its share of the
// missing iterations; p50 and p99 are nearest-rank percentiles of that weighted sample.
// SimGrid-free: plain arithmetic on the replay's rows.
#pragma once

#include <vector>

#include "sim/engine/epoch_plan.hpp"
#include "sim/engine/results.hpp"
#include "sim/model/sampling.hpp"

namespace trainsim {

// `r` holds the replay's rows (iterations and epochs of the replayed epochs) and its summary's
// identity fields; on return its epochs are the estimated epochs of the whole run and its summary
// the estimates (replay "sampled", iterations_replayed, the CIs). The iteration rows stay as
// replayed. Throws RuntimeError when a replayed epoch has no rows (a bug).
void extrapolate_sampled(RunResult& r, const std::vector<PlannedEpoch>& epochs, const SamplingRule& rule);

}  // namespace trainsim
