// The roofline time of one GPU kernel:
//   t = max(F / (peak x compute_eff x shape_eff x wave_eff), B / (bw x memory_eff)) + launch
// where wave_eff = w / ceil(w) for w = blocks / (SMs x blocks_per_SM) waves: a kernel whose last
// wave fills only part of the GPU pays for a whole wave (the tail effect of small layers).
#pragma once

#include "sim/hw/units.hpp"

namespace trainsim {

struct KernelWork {
  Flops flops = 0;
  Bytes bytes = 0;     // DRAM traffic: inputs read, outputs written
  double blocks = 0;   // thread blocks the kernel launches; 0 = large enough to ignore waves
  double shape_efficiency = 1.0;  // useful fraction of the tiles' multiply-adds (tile quantisation)
};

struct RooflineParams {
  FlopsPerSecond peak = 0;        // dense peak of the data type
  double compute_efficiency = 1;  // fraction of the peak a well-shaped kernel reaches
  BytesPerSecond bandwidth = 0;   // DRAM
  double memory_efficiency = 1;
  Seconds launch = 0;             // per-kernel overhead
  int sm_count = 1;
  int blocks_per_sm = 1;          // resident blocks per SM (occupancy)
};

// Fraction of the GPU a kernel of `blocks` thread blocks keeps busy over its waves, in (0, 1].
[[nodiscard]] double wave_efficiency(double blocks, int sm_count, int blocks_per_sm) noexcept;

[[nodiscard]] Seconds compute_time(const KernelWork& k, const RooflineParams& p) noexcept;
[[nodiscard]] Seconds memory_time(const KernelWork& k, const RooflineParams& p) noexcept;
[[nodiscard]] Seconds roofline_time(const KernelWork& k, const RooflineParams& p) noexcept;
[[nodiscard]] bool compute_bound(const KernelWork& k, const RooflineParams& p) noexcept;

}  // namespace trainsim
