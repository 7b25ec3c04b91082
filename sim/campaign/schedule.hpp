// List scheduling of a campaign's runs on the node's pool of GPUs. A run may start when every run
// of the stages it comes after has ended and enough GPUs are free. Whenever GPUs free up, the ready
// runs are considered in priority order (the longest remaining path through the stage graph first,
// then file order) and each starts if it fits: packed one-GPU runs fill the GPUs that a larger
// run leaves free.
#pragma once

#include <vector>

#include "sim/campaign/stage_graph.hpp"

namespace trainsim::campaign {

struct RunJob {
  int stage = 0;
  int index = 0;        // the run's number within its stage
  int gpus = 1;         // GPUs it holds for its whole length
  Seconds duration = 0;
};

struct PlacedRun {
  Seconds start = 0;
  Seconds end = 0;
  std::vector<int> gpu_ids;  // which GPUs of the pool, ascending
};

struct Schedule {
  std::vector<PlacedRun> runs;  // one per job, in the jobs' order
  Seconds makespan = 0;
};

// Throws InputError when a job needs more GPUs than the pool has.
[[nodiscard]] Schedule list_schedule(const StageGraph& graph, const std::vector<RunJob>& jobs, int pool_gpus);

// The shortest span any schedule can give each stage: it cannot beat its longest run, nor its
// GPU-seconds spread over the whole pool.
[[nodiscard]] std::vector<Seconds> stage_lower_bounds(int stages, const std::vector<RunJob>& jobs, int pool_gpus);

}  // namespace trainsim::campaign
