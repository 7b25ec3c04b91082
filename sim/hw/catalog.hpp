// The whole catalog: GPUs, per-generation compute-model constants and per-link protocol
// efficiencies. A plain value; io::load_catalog fills it from platforms/gpus.yaml.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/hw/gpu.hpp"

namespace trainsim {

// Physical constants of the compute model shared by every GPU (docs/compute-model.md), each set
// from microbenchmark data or library facts, never from a benchmark row.
struct SharedPhysics {
  // Little's law for cuDNN's kernels: bytes a kernel sustains per SM per clock (bytes in flight per SM
  // over the DRAM latency in clocks) at 4-byte elements; element-per-thread kernels scale it with the
  // element size (cudnn_bandwidth_gbps).
  double cudnn_bytes_per_sm_clock = 8.0;
  double implicit_gemm_factor = 0.8;  // a large cuDNN implicit-GEMM convolution over the best GEMM
  double tile_n = 128;                // output-channel tile of large convolutions
  double tile_n_narrow = 64;          // the tile cuDNN picks for at most tile_n_narrow output channels
  double tile_k = 32;                 // reduction (C x k x k) step of one main-loop iteration
  double power_exponent = 1.0 / 3.0;  // clock ~ power^exponent under a power limit (P ~ f V^2, V ~ f)
  std::string source;
};

// Compute-model constants shared by every GPU of a generation (never one per benchmark row).
struct ComputeGeneration {
  std::string name;
  double fp32_efficiency = 0.7;     // fraction of the FP32 CUDA-core peak (precision fp32)
  double launch_overhead_us = 4.0;  // per kernel: launch and tail, seen when kernels are tiny
  SharedPhysics physics;            // the catalog's shared constants (the same in every generation)
  std::string rationale;
  SourceLocation where;
};

enum class LinkKind { pcie, nvlink, nvswitch, host_memory, smp, network, storage };

[[nodiscard]] std::string_view to_string(LinkKind k);

// Per kind of link: the fraction of the line rate that NCCL-style transfers achieve (protocol
// overhead) and the latency of one hop. The same for every node; each with its source.
struct LinkClass {
  LinkKind kind = LinkKind::pcie;
  double efficiency = 1.0;
  // NVLink and NVSwitch: protocol efficiency per NVLink generation (2 = V100 .. 5 = Blackwell);
  // a generation absent here takes `efficiency`.
  std::vector<std::pair<int, double>> by_nvlink_generation;
  double latency_us = 1.0;
  // NVSwitch only: NVLink SHARP (NVLS, in-switch reduction and multicast) efficiency by GPU
  // generation, on top of `efficiency`. A generation absent here has no NVLS.
  std::vector<std::pair<std::string, double>> nvls_efficiency;
  std::string source;

  // The NVLS efficiency for GPUs of `generation`, or 0 when that generation has no NVLS.
  [[nodiscard]] double nvls_efficiency_of(std::string_view generation) const;
  // The protocol efficiency of links to GPUs of NVLink generation `nvlink_generation`.
  [[nodiscard]] double efficiency_of_nvlink(int nvlink_generation) const;
};

struct Catalog {
  std::vector<GpuSpec> gpus;
  SharedPhysics physics;
  std::vector<ComputeGeneration> generations;
  std::vector<LinkClass> links;
  std::string file;  // where it was read from, for messages

  // Throws InputError (naming `where` and `key`) with the nearest names when `name` is unknown.
  [[nodiscard]] const GpuSpec& gpu(std::string_view name, const SourceLocation& where = {},
                                   std::string_view key = "gpu") const;
  [[nodiscard]] const GpuSpec* find_gpu(std::string_view name) const;
  [[nodiscard]] const ComputeGeneration& generation_of(const GpuSpec& gpu) const;
  [[nodiscard]] const LinkClass& link_class(LinkKind kind) const;
  [[nodiscard]] std::vector<std::string> gpu_names() const;
};

// Completes the per-GPU physics once the whole catalog is read: the sustained tensor clock of a
// power-limited part from its full-power reference (clock ~ (W per SM)^exponent), bounded by its
// base and peak clocks, and the shared constants copied into every generation. Throws InputError
// for an unknown power_reference.
void resolve_physics(Catalog& c);

}  // namespace trainsim
