// The GPU catalog's types. io reads them from platforms/gpus.yaml; every figure there has a source.
#pragma once

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/hw/precision.hpp"
#include "sim/hw/units.hpp"
#include "sim/util/error.hpp"

namespace trainsim {

struct NvlinkSpec {
  double gbps_per_direction = 0;  // all links of one GPU together, one direction
  int links = 0;
  int generation = 0;             // NVLink 2 (V100) .. 5 (Blackwell)
  bool bridge = false;            // a bridge product exists for this card (GeForce, PCIe cards)

  [[nodiscard]] double gbps_per_link() const { return links > 0 ? gbps_per_direction / links : 0.0; }
};

struct PcieSpec {
  int gen = 4;
  int lanes = 16;
};

// Per-GPU physical figures of the compute model (docs/compute-model.md), each with its source.
struct GpuPhysics {
  double base_clock_mhz = 0;      // guaranteed clock under load at the TDP
  double boost_clock_mhz = 0;     // the maximum boost clock
  double peak_clock_mhz = 0;      // the clock the catalog's dense peaks are computed at
  double stream_gbps = 0;         // DRAM bandwidth that streaming microbenchmarks reach
  double matmul_fraction = 0;     // best dense fp16/bf16 matmul over the dense peak, at full power (or at the card's own limit where measured there)
  std::string power_reference;    // a GPU of the same die, measured at its power (for power-limited parts), or ""
  double sustained_clock_mhz = 0; // filled in by resolve_physics: the clock of dense matmul work
  // Filled in by resolve_physics: the SM clock of every kernel of a training loop. For a part at full
  // power the clock its dense peaks are quoted at (what its tensor work sustains; H100 SXM 1830 MHz,
  // not its 1980 MHz boost), for a power-limited part the clock its watts per SM allow (its boost
  // controller averages power over many kernels, so memory-bound kernels run at it too).
  double loaded_clock_mhz = 0;
  std::string source;

  // The sustained clock of tensor work over the clock of the peaks, in (0, 1].
  [[nodiscard]] double clock_factor() const {
    return peak_clock_mhz > 0 && sustained_clock_mhz > 0 ? std::min(1.0, sustained_clock_mhz / peak_clock_mhz) : 1.0;
  }
};

struct PriceSpec {
  double usd_per_gpu_hour = 0;
  std::string source;  // who charges it, and when
};

struct GpuSpec {
  std::string name;          // catalog key, e.g. "h100-sxm5-80gb"
  std::string display_name;  // "H100 SXM5 80GB"
  std::string generation;    // key into Catalog::generations (compute-model constants)
  double memory_gb = 0;
  double memory_bandwidth_gbps = 0;
  double tdp_w = 0;
  double idle_w = 0;
  int sm_count = 0;
  double l2_mb = 0;
  std::array<std::optional<double>, 5> dense_tflops{};  // indexed by DataType; nullopt = unsupported
  NvlinkSpec nvlink;
  PcieSpec pcie;
  bool peer_to_peer = true;  // PCIe P2P allowed by the driver (GeForce: no)
  std::optional<PriceSpec> price;
  GpuPhysics physics;
  std::string source;
  SourceLocation where;

  [[nodiscard]] std::optional<double> dense_tflops_of(DataType t) const {
    return dense_tflops[static_cast<std::size_t>(t)];
  }
  [[nodiscard]] bool supports(DataType t) const { return dense_tflops_of(t).has_value(); }
  [[nodiscard]] BytesPerSecond memory_bandwidth() const { return gbps(memory_bandwidth_gbps); }
  [[nodiscard]] Bytes memory_bytes() const { return memory_gb * kGB; }
};

// Theoretical PCIe bandwidth per direction after line coding: gen1/2 8b/10b, gen3-5 128b/130b,
// gen6 FLIT mode (242/256 of 64 GT/s PAM4). PCI-SIG base specifications.
[[nodiscard]] double pcie_gbps_per_direction(int gen, int lanes);

}  // namespace trainsim
