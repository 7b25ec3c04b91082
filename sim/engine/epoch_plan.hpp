// Which epochs a replay simulates. A full replay simulates them all. A sampled replay simulates
// one epoch of each distinct shape and lets it stand for the others of that shape: epochs of one
// shape start from the same state and replay the same activity graph (only the jitter draws
// differ), so their times have the same distribution. SimGrid-free: pure planning.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/engine/plan.hpp"

namespace trainsim {

// Replayed epochs of each short shape (the fewest observations batch_means gives a finite CI from).
inline constexpr std::size_t kShortEpochSamples = 4;

struct PlannedEpoch {
  int epoch = 0;
  long long first = 0;       // global index of its first iteration
  long long iterations = 0;  // in the run (the last epoch may be short)
  bool validate = false;
  bool checkpoint = false;
  bool after_checkpoint = false;  // the previous epoch wrote a checkpoint (rank 0 starts late)
  bool replayed = true;
  int representative = 0;    // the replayed epoch whose times stand for this one (itself when replayed)
};

// The shape of an epoch: its length, validation, checkpoint, and whether the epoch before it
// checkpointed (the only state an epoch inherits: rank 0 still writing while the others start).
// Sampled: the first epoch of each shape is replayed; an epoch is added before a replayed one
// when the epoch replayed just before it would give it another start (a checkpoint or not) than
// its real predecessor. Epochs shorter than `sample_from` iterations are too short to sample inside:
// whole epochs are the observations, the first kShortEpochSamples of each such shape are replayed
// and the others of the shape take them in turn as representatives (many GPUs over a small
// dataset: HRNet-W44's 2,944 images on 512 GPUs are one iteration per epoch, 48 epochs).
// `total_iterations`: the iterations of the run (plan.total_iterations).
[[nodiscard]] std::vector<PlannedEpoch> plan_epochs(const ReplayPlan& plan, long long total_iterations, bool sampled,
                                                    long long sample_from = 0);

}  // namespace trainsim
