// After a sampled replay: estimates for the whole run from the epochs that were replayed.
//
// A replayed epoch e of N iterations was simulated for its first m: warm-up (w iterations), a
// steady sample S (the rest), whose last iterations drain the loaders. With a(k) = end(k) -
// end(k-1), what the epoch advances per iteration (iterations overlap slightly: end - start would
// count the overlap twice), the missing N - m iterations are steady ones:
//   T(e) = T_replayed(e) + (N - m) * mean(a over S).
// As an estimate of an epoch of that shape (what the full replay averages), all N - w steady
// iterations come from the sample (the replayed ones are one draw standing for every epoch of the
// shape), so its 95 % CI half-width is (N - w) * h, h from the method of batch means
// (sim/model/sampling.hpp); an epoch replayed whole is exact (0). The run's CI adds the epochs'
// half-widths (one shape's epochs share one error). The warm-up itself is one draw too: its jitter
// across epochs is not in the CI (docs/scenarios.md quantifies it).
// Iteration statistics are those of the full run's definition (the run's first iteration left
// out): each replayed iteration counted for every epoch it stands for and each steady one also for
// its share of the missing iterations; p50 and p99 are nearest-rank percentiles of that weighted
// sample.
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
