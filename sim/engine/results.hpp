// What a replay produces, SimGrid-free: per iteration, per epoch, and the run's summary.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/units.hpp"

namespace trainsim {

struct IterationRow {
  int epoch = 0;
  long long iteration = 0;  // global index from 0
  Seconds start = 0;        // the earliest rank's start: its previous optimizer end, or the end of the
                            // previous epoch's validation and checkpoint
  Seconds end = 0;          // the last rank's optimizer end
  // Averages over ranks of each rank's own iteration: they add up to its length.
  Seconds compute = 0;       // forward + backward + optimizer kernels
  Seconds exposed_comm = 0;  // from the end of the backward to the start of the optimizer
  Seconds data_stall = 0;    // waiting for the batch, and its host-to-device copy
};

struct EpochRow {
  int epoch = 0;
  Seconds start = 0;
  Seconds end = 0;
  long long iterations = 0;
  Seconds validation_s = 0;
  Seconds checkpoint_s = 0;
};

struct RunSummary {
  std::string model;
  std::string gpu;
  std::string node;
  bool sequences = false;         // a token model: its samples are sequences (the text says so; --json keeps images_per_s)
  int gpus = 1;
  int batch_per_gpu = 1;
  std::string precision;
  std::string algorithm;          // the all-reduce algorithm used for the buckets
  int buckets = 1;
  double images_per_s = 0;        // steady state: batch x gpus / mean iteration time (first iteration excluded)
  Seconds iteration_mean = 0, iteration_p50 = 0, iteration_p99 = 0;
  Seconds compute = 0, exposed_comm = 0, data_stall = 0;  // mean per iteration
  Seconds data_stall_steady = 0;  // mean data stall of the iterations that do not start an epoch (the
                                  // first of each waits for its loaders to start, on any host)
  Seconds evaluation_s = 0;       // the run's validation passes: rank 0's, from its forward to the H-mean
  Seconds epoch_s = 0;            // mean over full epochs (validation and checkpoint included)
  Seconds run_s = 0;              // simulated time of the whole run
  long long iterations = 0;
  int epochs = 0;
  long long iterations_per_epoch = 0;
  std::vector<Seconds> gpu_busy_s;  // per rank: kernel time (for the power model)
  double overlap_slowdown = 0;
  long long activities = 0;
  std::string replay = "full";    // full | sampled (RunOptions::replay)
  long long iterations_replayed = 0;  // simulated; fewer than `iterations` when sampled
  // Sampled: half-widths of the 95 % confidence intervals of iteration_mean, epoch_s and run_s
  // (the sampling error of what was extrapolated); 0 after a full replay.
  Seconds iteration_mean_ci = 0, epoch_ci = 0, run_ci = 0;
  double wall_s = 0;              // host seconds the replay took
  double cpu_s = 0;               // CPU seconds of this process over the replay
};

struct RunResult {
  RunSummary summary;
  std::vector<IterationRow> iterations;
  std::vector<EpochRow> epochs;
};

// Mean, p50 and p99 of iteration lengths; images/s from the mean.
void summarise(RunResult& r);

}  // namespace trainsim
