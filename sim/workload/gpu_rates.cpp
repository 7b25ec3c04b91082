#include "sim/workload/gpu_rates.hpp"

#include "sim/workload/compute_profile.hpp"

namespace trainsim {

DataType runnable_type(const GpuSpec& gpu, DataType t) noexcept {
  if (gpu.supports(t)) return t;
  if (t == DataType::tf32) return DataType::fp32;
  if (gpu.supports(DataType::fp16)) return DataType::fp16;
  return DataType::fp32;
}

FlopsPerSecond sustained_matmul_flops(const GpuSpec& gpu, const ComputeGeneration& gen, DataType t) noexcept {
  const DataType r = runnable_type(gpu, t);
  return tflops(gpu.dense_tflops_of(r).value_or(0.0)) * matmul_efficiency(gpu, gen, r);
}

BytesPerSecond achievable_bandwidth(const GpuSpec& gpu) noexcept {
  return gbps(eager_bandwidth_gbps(gpu));
}

Seconds kernel_floor(const ComputeGeneration& gen) noexcept { return microseconds(gen.launch_overhead_us); }

BytesPerSecond host_copy_bandwidth(const GpuSpec& gpu) noexcept {
  return gbps(pcie_gbps_per_direction(gpu.pcie.gen, gpu.pcie.lanes));
}

}  // namespace trainsim
