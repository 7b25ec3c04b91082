#include "sim/model/roofline.hpp"

#include <algorithm>
#include <cmath>

namespace trainsim {

double wave_efficiency(double blocks, int sm_count, int blocks_per_sm) noexcept {
  if (blocks <= 0 || sm_count <= 0 || blocks_per_sm <= 0) return 1.0;
  const double waves = blocks / (static_cast<double>(sm_count) * blocks_per_sm);
  return waves / std::ceil(waves);
}

Seconds compute_time(const KernelWork& k, const RooflineParams& p) noexcept {
  if (k.flops <= 0) return 0.0;
  return k.flops / (p.peak * p.compute_efficiency * k.shape_efficiency * wave_efficiency(k.blocks, p.sm_count, p.blocks_per_sm));
}

Seconds memory_time(const KernelWork& k, const RooflineParams& p) noexcept {
  if (k.bytes <= 0) return 0.0;
  return k.bytes / (p.bandwidth * p.memory_efficiency);
}

Seconds roofline_time(const KernelWork& k, const RooflineParams& p) noexcept {
  return std::max(compute_time(k, p), memory_time(k, p)) + p.launch;
}

bool compute_bound(const KernelWork& k, const RooflineParams& p) noexcept {
  return compute_time(k, p) >= memory_time(k, p);
}

}  // namespace trainsim
