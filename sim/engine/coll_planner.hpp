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
//   hierarchical (clusters): per pipeline chunk an intra-machine stage (alpha, bw of the machine
//           rings' hops) and a network stage (alpha, bw of the rails' hops), chained as the lanes
//           wait for each other (coll_hier_layout.cpp, hierarchical_time).
//   tree on clusters: the same pipeline with 2 D network stages (D: the deeper of the two trees
//           across machines; alpha, bw of the tree edges) between the machine-ring stages
//           (coll_hier_layout.cpp, cluster_tree_time).
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

// The shape of a hierarchical all-reduce (coll_hier.cpp) over ranks that span several machines of
// a cluster with the same GPUs on each: positions in the ranks list.
struct HierLayout {
  std::vector<std::vector<int>> local;  // per machine: its ranks along the machine's ring
  std::vector<std::vector<int>> slots;  // per machine: its ranks by machine-local GPU (slot l: one rail)
  [[nodiscard]] int machines() const { return static_cast<int>(local.size()); }
  [[nodiscard]] int per_machine() const { return local.empty() ? 0 : static_cast<int>(local.front().size()); }
  // The rank position in slot `slot` of machine `machine`.
  [[nodiscard]] int at(int machine, int slot) const {
    return slots[static_cast<std::size_t>(machine)][static_cast<std::size_t>(slot)];
  }
  // Per rank position (filled by index_ranks): its machine, its place on the machine's ring, its slot (rail).
  std::vector<int> machine_of, ring_pos, slot_of;
  void index_ranks(std::size_t ranks);
};

// Pipeline of the hierarchical all-reduce: chunk weights rising 1, 2, 4, ..., 32 and falling back, so
// that the first reduce-scatter and the last all-gather (which nothing overlaps) are short; at
// most kHierMaxChunks chunks, about one per kHierChunkBytes of the buffer.
inline constexpr int kHierMaxChunks = 12;
inline constexpr Bytes kHierChunkBytes = 12.0 * 1024 * 1024;
[[nodiscard]] std::vector<long long> hier_chunk_weights(Bytes bytes);
// Latency one fused transfer of the hierarchical all-reduce pays: it stands for `steps` of NCCL's
// ring steps spread over `chunks` pipeline chunks, each step paying the route latency `alpha`; at
// least one route latency (coll_hier.cpp).
[[nodiscard]] Seconds hier_step_latency(Seconds alpha, double steps, int chunks);
// NCCL's tuning model credits its tree all-reduce with 0.92 of the bus bandwidth of its channels
// (src/graph/tuning.cc: busBw * .92 for NCCL_ALGO_TREE, ncclFuncAllReduce): the tree across machines
// moves its bytes at that efficiency (its flows carry 1 / 0.92 of them, coll_tree_cluster.cpp).
inline constexpr double kClusterTreeEfficiency = 0.92;
// `part` of `total` bytes in proportion to weights[part], integral, summing to total.
[[nodiscard]] Bytes weighted_bytes(Bytes total, const std::vector<long long>& weights, std::size_t part);

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
  // The candidate with the smallest predicted time (ties: ring, tree, direct, nvls); on clusters
  // the tree's time as NCCL's tuning weighs it against the ring (nccl_cluster_tree_time).
  [[nodiscard]] Algorithm choose(CollOp op, Bytes bytes, const std::vector<int>& ranks) const;
  // The hierarchical layout of `ranks`; false (and `why`) where it does not apply: fewer than two
  // machines, fewer than two ranks on a machine, or not the same GPUs on every machine.
  [[nodiscard]] bool hierarchical_layout(const std::vector<int>& ranks, HierLayout* out, std::string* why = nullptr) const;
  // Whether the tree over `ranks` is NCCL's tree across machines (chains inside, double binary
  // trees across, coll_tree_cluster.cpp): where the hierarchical layout applies.
  [[nodiscard]] bool cluster_tree(const std::vector<int>& ranks) const { return hierarchical_layout(ranks, nullptr); }

 private:
  [[nodiscard]] Seconds hierarchical_time(Bytes bytes, const std::vector<int>& ranks) const;
  [[nodiscard]] Seconds cluster_tree_time(Bytes bytes, const std::vector<int>& ranks) const;
  // What auto weighs the tree across machines by: NCCL's tuning model (coll_planner.cpp).
  [[nodiscard]] Seconds nccl_cluster_tree_time(Bytes bytes, const std::vector<int>& ranks) const;

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
