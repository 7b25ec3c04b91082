// The whole catalog: GPUs, per-generation compute-model constants and per-link protocol
// efficiencies. A plain value; io::load_catalog fills it from platforms/gpus.yaml.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/hw/gpu.hpp"

namespace trainsim {

// Compute-model constants shared by every GPU of a generation (never one per benchmark row).
struct ComputeGeneration {
  std::string name;
  double tensor_efficiency = 0.6;   // fraction of the fp16/bf16/fp8 tensor-core peak large convs reach
  double tf32_efficiency = 0.5;     // the same for tf32 (32-bit operands: twice the bytes per MAC)
  double fp32_efficiency = 0.7;     // fraction of the FP32 CUDA-core peak (precision fp32)
  double memory_efficiency = 0.8;   // fraction of DRAM bandwidth that streaming kernels reach
  double launch_overhead_us = 4.0;  // per kernel: launch and tail, seen when kernels are tiny
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
  double latency_us = 1.0;
  // NVSwitch only: NVLink SHARP (NVLS, in-switch reduction and multicast) efficiency by GPU
  // generation, on top of `efficiency`. A generation absent here has no NVLS.
  std::vector<std::pair<std::string, double>> nvls_efficiency;
  std::string source;

  // The NVLS efficiency for GPUs of `generation`, or 0 when that generation has no NVLS.
  [[nodiscard]] double nvls_efficiency_of(std::string_view generation) const;
};

struct Catalog {
  std::vector<GpuSpec> gpus;
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

}  // namespace trainsim
