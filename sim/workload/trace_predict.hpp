// A profiled iteration predicted on another GPU (Habitat's idea, docs/profiles.md): every kernel
// is scaled by its own bound, then the trace's timeline is replayed with the new durations. The
// host is not scaled: its launches keep their times, and move only where the host waited for the
// GPU (a blocking synchronisation), by as much as the GPU's work before it moved.
#pragma once

#include <functional>
#include <optional>

#include "sim/hw/catalog.hpp"
#include "sim/workload/kernel_trace.hpp"
#include "sim/workload/trace_summary.hpp"

namespace trainsim {

struct GpuPair {
  const GpuSpec& source;
  const ComputeGeneration& source_gen;
  const GpuSpec& target;
  const ComputeGeneration& target_gen;
};

enum class Bound { compute, memory, host_copy, unscaled };

// The bound a kernel is scaled by: matmul/convolution kernels by compute, unless the operator's
// FLOPs and bytes (Input Dims) put it below the source GPU's ridge point; everything else by
// memory, unless its operator is above the ridge; host copies by PCIe; NCCL is not scaled here.
[[nodiscard]] Bound kernel_bound(const TraceKernel& k, const GpuPair& g);

// The kernel's duration on the target. Compute bound: t' = f' + (t - f) * (w'/w) * (R/S)/(R'/S'),
// memory bound: t' = f' + (t - f) * B/B', with f = min(t, floor) the launch-and-tail part,
// R the sustained matmul throughput, S the SM count, w = ceil(blocks/S) the waves (1 resident
// block per SM), B the kernel's bandwidth (memory_bandwidth); primes are the target's.
[[nodiscard]] Seconds scale_kernel(const TraceKernel& k, const GpuPair& g);

// The DRAM bandwidth a memory-bound trace kernel reaches on `gpu`, by the compute model's memory
// paths (layer_kernels.hpp MemoryPath), told apart by name: cuDNN's per-channel NCHW batch norm
// (bn_fw_tr_1C11*, bn_bw_1C11*) at the Little's-law limit of its element (__half: 2 bytes),
// cuDNN's layout transposes and memory-bound matmuls at that of 4-byte elements, everything else
// (PyTorch's element-wise kernels, NHWC batch norm, copies) at the streaming bandwidth.
[[nodiscard]] BytesPerSecond memory_bandwidth(const TraceKernel& k, const GpuSpec& gpu, const ComputeGeneration& gen);

// NCCL kernels re-simulated elsewhere: the time of one on the target, or nullopt to keep it.
using NcclTime = std::function<std::optional<Seconds>(const TraceKernel&)>;

struct TracePrediction {
  Timeline timeline;
  std::vector<Bound> bounds;  // per kernel
};

[[nodiscard]] TracePrediction predict_trace(const KernelTrace& t, const GpuPair& g, const NcclTime& nccl = {});

// The catalog GPU a trace ran on: by name (the catalog's display name or key inside the device
// string), then memory (within 6 %) and SM count. `source_gpu` names it outright. Throws
// InputError naming the device string and SM count when no GPU or more than one matches.
[[nodiscard]] const GpuSpec& match_trace_gpu(const KernelTrace& t, const Catalog& catalog, const std::string& source_gpu);

}  // namespace trainsim
