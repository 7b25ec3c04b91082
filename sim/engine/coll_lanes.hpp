// The lane form every collective algorithm takes (see collective.hpp), and the runner that turns
// a lane plan into SimGrid activities a few steps ahead. Engine-internal.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "sim/engine/collective.hpp"

namespace trainsim::engine {

// Transfer `index` of lane `lane`.
struct LaneRef {
  int lane = 0;
  int index = 0;
};

// A sequence of transfers between two fixed hosts, each after the previous one.
struct Lane {
  std::size_t src = 0;  // platform hosts
  std::size_t dst = 0;
  int from = -1;        // the sending rank (position in CollectiveSpec::ranks), -1 for a switch
  int to = -1;          // the receiving rank, -1 for a switch
  int length = 0;       // transfers
};

class LanePlan {
 public:
  virtual ~LanePlan() = default;
  [[nodiscard]] const std::vector<Lane>& lanes() const { return lanes_; }
  [[nodiscard]] virtual Bytes bytes(int lane, int index) const = 0;
  // Cross-lane predecessors of transfer (lane, index), into `out` (cleared first). The runner
  // creates transfer i+1 of a lane when transfer i finishes (and transfer 0 of every lane at the
  // start), so a predecessor (l, j) must exist by then: j == 0, or (l, j-1) an ancestor of
  // (lane, index-1); a predecessor at the same index must be on a lower-numbered lane. Dependencies
  // with the same pattern at every index (shift-invariant) satisfy this.
  virtual void after(int lane, int index, std::vector<LaneRef>& out) const = 0;
  // Latency transfer (lane, index) pays beyond its route's, before it starts (after its
  // predecessors): a fused transfer standing for several of NCCL's steps pays each step's.
  [[nodiscard]] virtual Seconds extra_latency(int /*lane*/, int /*index*/) const { return 0.0; }
  // Lanes of one group (>= 0; the same extra latency, the same length) share one wait per index: it
  // starts once every lane of the group has built that transfer, after all their predecessors, and
  // gates them all (a phase's hops pay their step latencies together: one activity, not g). -1:
  // the lane's own wait.
  [[nodiscard]] virtual int wait_group(int /*lane*/) const { return -1; }

 protected:
  std::vector<Lane> lanes_;
};

// Everything an algorithm needs to lay out its lanes.
struct PlanContext {
  const CollectivePlanner& planner;
  const PlatformDescription& platform;
  const CollectiveSpec& spec;
  std::vector<int> order;  // positions in spec.ranks along the best ring (rank 0 of the ring first)

  [[nodiscard]] std::size_t host(int position) const {
    return platform.gpu_hosts.at(static_cast<std::size_t>(spec.ranks.at(static_cast<std::size_t>(position))));
  }
  [[nodiscard]] int gpu(int position) const { return spec.ranks.at(static_cast<std::size_t>(position)); }
};

// `part` of `total` bytes cut into `parts` integral pieces that differ by at most one byte.
[[nodiscard]] Bytes share_bytes(Bytes total, long long parts, long long part);

// Starts the plan's transfers (gated by `ready`) and returns the per-rank done nodes.
// `rank_gpus[k]`, `rank_hosts[k]`: GPU index and platform host of rank k; `ready` is empty or has one
// node per rank.
[[nodiscard]] CollectiveNodes run_lanes(Simulation& sim, std::unique_ptr<LanePlan> plan, const std::vector<int>& rank_gpus,
                                        const std::vector<std::size_t>& rank_hosts, const std::vector<Node>& ready,
                                        const Event& tag, std::function<void(int)> on_rank_done);

// The algorithms, one per file.
[[nodiscard]] std::unique_ptr<LanePlan> ring_plan(const PlanContext& ctx);       // coll_ring.cpp (AR, AG, RS)
[[nodiscard]] std::unique_ptr<LanePlan> tree_plan(const PlanContext& ctx);       // coll_tree.cpp
[[nodiscard]] std::unique_ptr<LanePlan> direct_plan(const PlanContext& ctx);     // coll_direct.cpp
[[nodiscard]] std::unique_ptr<LanePlan> nvls_plan(const PlanContext& ctx);       // coll_nvls.cpp
[[nodiscard]] std::unique_ptr<LanePlan> broadcast_plan(const PlanContext& ctx);  // coll_broadcast.cpp
[[nodiscard]] std::unique_ptr<LanePlan> hierarchical_plan(const PlanContext& ctx);  // coll_hier.cpp
// Tree across machines: chains inside, a double binary tree per rail across (coll_tree_cluster.cpp).
[[nodiscard]] std::unique_ptr<LanePlan> cluster_tree_plan(const PlanContext& ctx);

}  // namespace trainsim::engine
