// The per-GPU figures that scale a measured kernel from one GPU to another (trace_predict.hpp).
// They read the catalog's per-GPU figures through the compute model's own functions, so a trace
// is scaled with the same physics that times the zoo's kernels.
#pragma once

#include "sim/hw/catalog.hpp"

namespace trainsim {

// The data type a kernel of type `t` runs in on `gpu`: PyTorch falls back from tf32 to fp32 and
// from bf16/fp8 to fp16 tensor cores where a GPU has no such path.
[[nodiscard]] DataType runnable_type(const GpuSpec& gpu, DataType t) noexcept;
// Sustained matmul throughput: the dense peak of the type times the GPU's matmul efficiency
// (compute_profile.hpp: matmul fraction, implicit-GEMM factor, sustained clock).
[[nodiscard]] FlopsPerSecond sustained_matmul_flops(const GpuSpec& gpu, const ComputeGeneration& gen, DataType t) noexcept;
// Achievable DRAM bandwidth of eager streaming kernels: the GPU's streaming bandwidth
// (compute_profile.hpp).
[[nodiscard]] BytesPerSecond achievable_bandwidth(const GpuSpec& gpu) noexcept;
// The part of a tiny kernel's time that is launch and tail, not work.
[[nodiscard]] Seconds kernel_floor(const ComputeGeneration& gen) noexcept;
// Host-to-device copy bandwidth: the GPU's PCIe link, one direction.
[[nodiscard]] BytesPerSecond host_copy_bandwidth(const GpuSpec& gpu) noexcept;

}  // namespace trainsim
