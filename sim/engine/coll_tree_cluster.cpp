// Tree all-reduce across the machines of a cluster, as NCCL runs its tree there: inside each
// machine a chain towards the GPU of each channel's NIC, across the machines a double binary tree
// (ring.hpp double_binary_tree) per rail, each of its two trees carrying half of the rail's slice.
// coll_hier_layout.cpp holds the planner's formula (cluster_tree_time).
//
// Aggregated flows, as in coll_hier.cpp. NCCL runs one chain and tree pair per channel, one
// channel per rail (slot l: GPU l of every machine, next to NIC l): channel l's chain reduces the
// machine's data for its slice (S / g) into GPU l over g - 1 of the machine ring's hops. Summed over
// the g channels, every hop of the machine ring carries (g-1)/g S up and as much down: in the fluid
// model a reduce-scatter along the machine's ring, fused into one transfer per hop and chunk, and
// an all-gather after. Between them, per slot and tree, one up and one down transfer per tree edge
// and chunk, S / (2 g) each. Every flow carries its bytes / kClusterTreeEfficiency (NCCL's 0.92). Transfers per all-reduce: (2 n + 4 g (M - 1)) P, P pipeline chunks
// (hier_chunk_weights).
//
// Waits: a tree's up transfer of chunk p after the reduce-scatter of chunk p reached its sender and
// after its children's up transfers of chunk p; a down transfer after its parent's down transfer
// (the root's: its children's up and its own reduce-scatter); an all-gather transfer after its
// sender has its slice from both trees; within a ring, a hop's chunk p after the previous hop's
// chunk p-1. Latency: NCCL's tree pays 2((g-1) intra + log2(M) network) latencies
// (src/graph/tuning.cc); the tree edges pay theirs one level after another, and a fused machine-ring
// transfer pays (g-1) / P chain steps (LanePlan::extra_latency), one wait per machine, phase and
// chunk (LanePlan::wait_group).
#include <algorithm>

#include "sim/engine/coll_lanes.hpp"
#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace {

Seconds route_latency(const PlatformDescription& platform, std::size_t src, std::size_t dst) {
  const PlatformRoute* r = platform.route(src, dst);
  Seconds sum = 0;
  if (r != nullptr) {
    for (const Hop& h : r->hops) sum += std::max(platform.links[h.link].latency_s, 1e-9);  // as sg_platform.cpp
  }
  return sum;
}

class ClusterTreePlan final : public LanePlan {
 public:
  explicit ClusterTreePlan(const PlanContext& ctx) : weights_(hier_chunk_weights(ctx.spec.bytes)) {
    std::string why;
    if (!ctx.planner.hierarchical_layout(ctx.spec.ranks, &layout_, &why)) {
      throw InputError({}, "algorithm", "tree", why);
    }
    m_ = layout_.machines();
    g_ = layout_.per_machine();
    n_ = m_ * g_;
    const Bytes wire = ctx.spec.bytes / kClusterTreeEfficiency;  // NCCL's tree efficiency (coll_planner.hpp)
    intra_ = static_cast<Bytes>(std::llround(wire * (g_ - 1) / g_));
    edge_ = static_cast<Bytes>(std::llround(wire / (2.0 * g_)));
    const int chunks = static_cast<int>(weights_.size());
    layout_.index_ranks(ctx.spec.ranks.size());
    const auto machine_ring = [&](Kind kind) {
      for (int k = 0; k < m_; ++k) {
        const auto& loc = layout_.local[static_cast<std::size_t>(k)];
        for (int j = 0; j < g_; ++j) {
          const int a = loc[static_cast<std::size_t>(j)];
          const int b = loc[static_cast<std::size_t>((j + 1) % g_)];
          push({ctx.host(a), ctx.host(b), a, b, chunks}, kind, -1, -1, -1);
        }
      }
    };
    machine_ring(Kind::reduce_scatter);
    // Tree lanes: per slot and tree, up lanes deepest first, then down lanes shallowest first, so
    // that same-chunk waits point to lanes built before.
    const auto both = double_binary_tree(m_);
    trees_ = {both.first, both.second};
    up_.assign(static_cast<std::size_t>(g_ * 2 * m_), -1);
    down_.assign(static_cast<std::size_t>(g_ * 2 * m_), -1);
    for (int l = 0; l < g_; ++l) {
      for (int t = 0; t < 2; ++t) {
        const Tree& tr = trees_[static_cast<std::size_t>(t)];
        std::vector<int> depth(static_cast<std::size_t>(m_), 0);
        std::vector<int> nodes;
        for (int v = 0; v < m_; ++v) {
          for (int p = tr.parent[static_cast<std::size_t>(v)]; p >= 0; p = tr.parent[static_cast<std::size_t>(p)]) {
            ++depth[static_cast<std::size_t>(v)];
          }
          if (tr.parent[static_cast<std::size_t>(v)] >= 0) nodes.push_back(v);
        }
        std::sort(nodes.begin(), nodes.end(), [&](int a, int b) {
          return depth[static_cast<std::size_t>(a)] != depth[static_cast<std::size_t>(b)]
                     ? depth[static_cast<std::size_t>(a)] < depth[static_cast<std::size_t>(b)]
                     : a < b;
        });
        for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
          const int a = at(*it, l);
          const int b = at(tr.parent[static_cast<std::size_t>(*it)], l);
          up_[key(l, t, *it)] = static_cast<int>(lanes_.size());
          push({ctx.host(a), ctx.host(b), a, b, chunks}, Kind::up, l, t, *it);
        }
        for (const int v : nodes) {
          const int a = at(tr.parent[static_cast<std::size_t>(v)], l);
          const int b = at(v, l);
          down_[key(l, t, v)] = static_cast<int>(lanes_.size());
          push({ctx.host(a), ctx.host(b), a, b, chunks}, Kind::down, l, t, v);
        }
      }
    }
    ag_base_ = static_cast<int>(lanes_.size());
    machine_ring(Kind::all_gather);
    // One wait per machine, phase and chunk: the largest of its hops'.
    std::vector<Seconds> most(static_cast<std::size_t>(2 * m_), 0.0);
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      if (info_[i].kind == Kind::up || info_[i].kind == Kind::down) continue;
      const Seconds alpha = route_latency(ctx.platform, lanes_[i].src, lanes_[i].dst);
      info_[i].extra = hier_step_latency(alpha, g_ - 1, chunks) - alpha;
      auto& x = most[static_cast<std::size_t>(wait_group(static_cast<int>(i)))];
      x = std::max(x, info_[i].extra);
    }
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      if (info_[i].kind == Kind::reduce_scatter || info_[i].kind == Kind::all_gather) {
        info_[i].extra = most[static_cast<std::size_t>(wait_group(static_cast<int>(i)))];
      }
    }
  }

  Bytes bytes(int lane, int chunk) const override {
    const Kind k = info_[static_cast<std::size_t>(lane)].kind;
    const bool tree = k == Kind::up || k == Kind::down;
    return weighted_bytes(tree ? edge_ : intra_, weights_, static_cast<std::size_t>(chunk));
  }

  Seconds extra_latency(int lane, int /*chunk*/) const override { return info_[static_cast<std::size_t>(lane)].extra; }
  // A machine's reduce-scatter hops share a wait per chunk (group k), its all-gather hops (m + k).
  int wait_group(int lane) const override {
    const LaneInfo& i = info_[static_cast<std::size_t>(lane)];
    if (i.kind == Kind::reduce_scatter) return lane / g_;
    if (i.kind == Kind::all_gather) return m_ + (lane - ag_base_) / g_;
    return -1;
  }

  void after(int lane, int chunk, std::vector<LaneRef>& out) const override {
    out.clear();
    const LaneInfo& i = info_[static_cast<std::size_t>(lane)];
    switch (i.kind) {
      case Kind::reduce_scatter:
      case Kind::all_gather: {
        const int base = i.kind == Kind::reduce_scatter ? 0 : ag_base_;
        const int k = (lane - base) / g_;
        const int j = (lane - base) % g_;
        if (i.kind == Kind::all_gather) {
          const int a = layout_.local[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)];
          for (int t = 0; t < 2; ++t) has_slice(layout_.slot_of[static_cast<std::size_t>(a)], t, k, chunk, out);
        }
        if (chunk > 0) out.push_back({base + k * g_ + (j - 1 + g_) % g_, chunk - 1});
        return;
      }
      case Kind::up:
        out.push_back({rs_in(at(i.node, i.slot)), chunk});
        for (const int c : trees_[static_cast<std::size_t>(i.tree)].children[static_cast<std::size_t>(i.node)]) {
          out.push_back({up_[key(i.slot, i.tree, c)], chunk});
        }
        return;
      case Kind::down:
        has_slice(i.slot, i.tree, trees_[static_cast<std::size_t>(i.tree)].parent[static_cast<std::size_t>(i.node)], chunk, out);
        return;
    }
  }

 private:
  enum class Kind { reduce_scatter, up, down, all_gather };
  struct LaneInfo {
    Kind kind = Kind::reduce_scatter;
    int slot = -1;
    int tree = -1;
    int node = -1;  // machine (tree node) whose parent edge it is
    Seconds extra = 0;
  };

  void push(const Lane& l, Kind kind, int slot, int tree, int node) {
    lanes_.push_back(l);
    info_.push_back({kind, slot, tree, node, 0.0});
  }
  [[nodiscard]] std::size_t key(int slot, int tree, int node) const {
    return static_cast<std::size_t>((slot * 2 + tree) * m_ + node);
  }
  [[nodiscard]] int at(int machine, int slot) const { return layout_.at(machine, slot); }
  [[nodiscard]] int rs_in(int a) const {
    const auto u = static_cast<std::size_t>(a);
    return layout_.machine_of[u] * g_ + (layout_.ring_pos[u] - 1 + g_) % g_;
  }
  // What machine `node`'s GPU of `slot` waits for to hold tree `tree`'s reduced half of its slice.
  void has_slice(int slot, int tree, int node, int chunk, std::vector<LaneRef>& out) const {
    const Tree& tr = trees_[static_cast<std::size_t>(tree)];
    if (tr.parent[static_cast<std::size_t>(node)] >= 0) {
      out.push_back({down_[key(slot, tree, node)], chunk});
      return;
    }
    out.push_back({rs_in(at(node, slot)), chunk});
    for (const int c : tr.children[static_cast<std::size_t>(node)]) out.push_back({up_[key(slot, tree, c)], chunk});
  }

  std::vector<long long> weights_;
  HierLayout layout_;
  int m_ = 0;
  int g_ = 0;
  int n_ = 0;
  int ag_base_ = 0;
  Bytes intra_ = 0;  // per machine-ring hop and phase
  Bytes edge_ = 0;   // per tree edge and direction
  std::vector<Tree> trees_;
  std::vector<LaneInfo> info_;  // per lane
  std::vector<int> up_;         // key(slot, tree, node) -> lane of its edge to the parent, upward
  std::vector<int> down_;       // the same edge, downward
};

}  // namespace

std::unique_ptr<LanePlan> cluster_tree_plan(const PlanContext& ctx) { return std::make_unique<ClusterTreePlan>(ctx); }

}  // namespace trainsim::engine
