// What the engine needs to know about a collective before it builds one, and what NCCL's tuner
// knows before it launches one: the ring over the ranks, the channels, the pipeline chunks, which
// algorithms a node supports, and the alpha-beta prediction of each (sim/model formulas with this
// topology's alpha and bandwidth). No SimGrid here: the CLI and the iteration engine both use it.
//
// Topology-derived parameters of the formulas (docs/collectives.md):
//   ring    alpha = the slowest ring hop's route latency; bw = best_ring's effective bottleneck
//           (each link's capacity divided among the ring hops that cross it).
//   tree    alpha = the largest route latency of the tree edges; bw = the narrowest equal share
//           when every edge of the tree(s) carries a flow up and one down at once; H = depth.
//   direct  alpha = the largest pair latency; bw_gpu = (n-1) x the narrowest equal share of the
//           n(n-1) flows (on an NVSwitch: the GPU's link; on a mesh: (n-1) pair links).
//   nvls    alpha = the GPU-to-switch latency; bw_gpu = the GPU's switch link x NVLS efficiency.
//   broadcast (a chain along the ring from the root): alpha, bw as for the chain's hops.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/engine/coll_types.hpp"
#include "sim/hw/units.hpp"
#include "sim/topo/ring.hpp"

namespace trainsim {

// Pipeline chunk of tree, NVLS and broadcast: NCCL's Simple protocol moves a 4 MiB buffer in 8
// steps (NCCL_BUFFSIZE / NCCL_STEPS), so 512 KiB per step. The chunk count is capped so that a huge
// buffer does not turn into tens of thousands of activities (the formulas use the same count).
inline constexpr Bytes kPipelineChunkBytes = 512.0 * 1024;
inline constexpr int kMaxPipelineChunks = 256;
// Channels of a ring when the caller does not say: NCCL's 2 on PCIe; on NVLink about one per
// bonded link of the narrowest hop (NCCL's search lays one ring per link), at most 16.
inline constexpr int kPcieChannels = 2;
inline constexpr int kMaxChannels = 16;

// Keep one per topology (and simulation): it caches the ring of each rank set. Not thread-safe.
class CollectivePlanner {
 public:
  explicit CollectivePlanner(const Topology& topo) : topo_(&topo) {}

  [[nodiscard]] const Topology& topology() const { return *topo_; }

  // best_ring over `ranks` (GPU indices), computed once per rank set (it is an exhaustive search).
  [[nodiscard]] const Ring& ring(const std::vector<int>& ranks) const;
  // Channels of the ring over `ranks` (see kPcieChannels).
  [[nodiscard]] int channels(const std::vector<int>& ranks) const;
  // Pipeline chunks for a buffer of `bytes`.
  [[nodiscard]] static int chunks(Bytes bytes);
  // The node's NVSwitch vertex when NVLS is possible (exactly one switch, GPUs of Hopper or later).
  [[nodiscard]] bool nvls_switch(std::size_t& vertex) const;

  // Whether `algo` implements `op` for `ranks` on this node; `why` says why not.
  [[nodiscard]] bool available(CollOp op, Algorithm algo, const std::vector<int>& ranks, std::string* why = nullptr) const;
  // The algorithms that implement `op` here, in the tuner's tie-break order.
  [[nodiscard]] std::vector<Algorithm> candidates(CollOp op, const std::vector<int>& ranks) const;

  // The formula's time for `bytes` (nccl-tests size) on `ranks`. `root`: position in `ranks`
  // (broadcast). `single_tree`: one binary tree carries the whole buffer (cross-checks).
  [[nodiscard]] Seconds predict_time(CollOp op, Algorithm algo, Bytes bytes, const std::vector<int>& ranks,
                                     int root = 0, bool single_tree = false) const;
  // The candidate with the smallest predicted time (ties: ring, tree, direct, nvls).
  [[nodiscard]] Algorithm choose(CollOp op, Bytes bytes, const std::vector<int>& ranks) const;

 private:
  const Topology* topo_;
  mutable std::map<std::vector<int>, Ring> rings_;
};

// All GPUs of the node, 0..n-1.
[[nodiscard]] std::vector<int> all_gpus(const Topology& topo);

// One-shot conveniences (each builds a planner, so the ring search runs every call).
[[nodiscard]] Algorithm choose_algorithm(const Topology& topo, CollOp op, Bytes bytes, const std::vector<int>& ranks);
[[nodiscard]] Seconds predict_time(const Topology& topo, CollOp op, Algorithm algo, Bytes bytes,
                                   const std::vector<int>& ranks);

}  // namespace trainsim
