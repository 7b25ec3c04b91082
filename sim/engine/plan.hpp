// What one rank does in one iteration, worked out before the replay: gradient buckets with the
// slice of backward compute that ends each one, loader and copy costs, epochs. Pure data; the
// replay (replay.cpp) turns it into SimGrid activities.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/scenario.hpp"
#include "sim/topo/topology.hpp"
#include "sim/workload/compute_profile.hpp"
#include "sim/workload/loader.hpp"

namespace trainsim {

struct Bucket {
  Bytes bytes = 0;          // gradients all-reduced together
  Seconds backward_s = 0;   // backward compute from the previous bucket's end until this one is ready
  Flops backward_flops = 0;
};

// DDP's buckets: gradients in reverse layer order, the first bucket capped at first_cap bytes,
// the others at cap; a bucket is ready when the backward of its last layer ends. Layers without
// parameters add their time to the bucket being filled.
[[nodiscard]] std::vector<Bucket> make_buckets(const ComputeProfile& p, Bytes first_cap, Bytes cap);

struct ReplayPlan {
  int gpus = 1;
  int batch = 1;
  std::uint64_t seed = 1;
  long long iterations_per_epoch = 1;
  int epochs = 1;                 // epochs replayed (the last may be partial when run by iterations)
  long long total_iterations = 1;
  Seconds forward_s = 0;
  Flops forward_flops = 0;
  std::vector<Bucket> buckets;    // in backward order
  Seconds optimizer_s = 0;
  bool overlap = true;
  double overlap_slowdown = 0;    // compute runs at 1/(1+s) while a bucket's all-reduce is in flight
  std::string algorithm = "auto";
  bool synthetic = false;
  Bytes h2d_bytes_per_batch = 0;
  Bytes read_bytes_per_batch = 0;
  Seconds load_s_per_batch = 0;   // core-seconds of one worker for one batch
  int workers = 1;
  int prefetch_factor = 2;
  Seconds validation_s = 0;       // per rank, per validation pass (forward only)
  int validation_every = 0;       // 0: no validation
  // postprocess: db (per validation pass): the rank's loader workers read, decode and resize its
  // images; its main process post-processes each output on one core; rank 0 then matches every
  // image's boxes for the H-mean. Core-seconds.
  Seconds validation_load_s = 0;         // per rank, all its images, shared by its workers
  Seconds validation_postprocess_s = 0;  // per rank, one core
  Seconds validation_hmean_s = 0;        // rank 0, one core
  Bytes checkpoint_bytes = 0;     // rank 0 writes parameters and optimizer state
  int checkpoint_every = 0;
  double compute_cv = 0;
  double loader_cv = 0;
  long long images_per_epoch = 0;
};

// Throws InputError when the workload cannot run (no fit, more GPUs than the node has, ...).
[[nodiscard]] ReplayPlan make_plan(const Scenario& s, const Topology& topo, const ComputeProfile& profile,
                                   const LoaderCosts& loader, double nccl_sm_share);

}  // namespace trainsim
