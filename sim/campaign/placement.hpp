// Turning a stage's scenario into the run that is simulated: on a one-GPU slice of the node for
// packed placement, with the batch that the GPU's memory allows.
#pragma once

#include <optional>
#include <string>

#include "sim/engine/scenario.hpp"
#include "sim/workload/loader.hpp"

namespace trainsim::campaign {

// One GPU of the node with its share of what the GPUs share: the first GPU and its links alone;
// each socket keeps cores, DRAM bandwidth and storage bandwidth in proportion to one GPU
// (x sockets / GPUs), at least one core. Packed runs side by side are simulated this way, each in
// its own simulation: contention between them on the host is represented by this division only.
[[nodiscard]] Scenario gpu_slice(const Scenario& s);

struct FittedRun {
  Scenario scenario;              // with batch_per_gpu resolved to a number
  int gpus = 1;
  int batch_per_gpu = 1;
  long long iterations = 0;       // the whole run
  std::optional<std::string> fallback;  // why the batch asked for was replaced by auto
};

// "The report's batch sizes where the GPU memory allows, else auto": a batch that does not fit the
// GPU (with DDP's buckets on a multi-GPU node) is replaced by the largest that does, and `fallback`
// says so. Any other problem of the scenario is thrown as the InputError it is.
[[nodiscard]] FittedRun fit_batch(Scenario s, const Catalog& catalog, const LoaderCosts& loader);

}  // namespace trainsim::campaign
