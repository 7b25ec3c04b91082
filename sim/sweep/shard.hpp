// Splitting a sweep across machines: shard K of N runs the points i with i mod N == K (round
// robin, so that every shard gets a share of each region of the grid, cheap and costly alike).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trainsim::sweep {

struct Shard {
  long long index = 0;  // K, from 0
  long long count = 1;  // N
};

// "K/N" with 0 <= K < N; anything else is an InputError naming `option`.
[[nodiscard]] Shard parse_shard(const std::string& text, const std::string& option = "--shard");

// A Slurm job array's task as a shard: K = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
// SLURM_ARRAY_TASK_STEP, N = SLURM_ARRAY_TASK_COUNT (MIN 0 and STEP 1 when unset). Nothing when
// SLURM_ARRAY_TASK_ID or SLURM_ARRAY_TASK_COUNT is unset; an InputError when they are malformed.
[[nodiscard]] std::optional<Shard> shard_from_slurm();

// The indices of the points of `total` that `shard` runs, in order.
[[nodiscard]] std::vector<long long> shard_points(long long total, const Shard& shard);

}  // namespace trainsim::sweep
