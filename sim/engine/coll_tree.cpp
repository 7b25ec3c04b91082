// Tree all-reduce: NCCL's double binary tree (ring.hpp double_binary_tree) over the ranks in ring
// order, each tree carrying half the buffer in pipelined chunks; or, in single-tree mode, the first
// tree carrying all of it. A node sends chunk j up once each child delivered chunk j (it adds them
// to its own); the root sends chunk j down once all its children delivered it; every other node
// forwards chunk j down once its parent delivered it. Each tree edge carries its chunks in order.
//
// Lanes per tree: an up lane and a down lane per non-root node (its edge to the parent), up lanes
// deepest first and down lanes shallowest first, so that same-chunk dependencies point to lanes
// built before.
#include <algorithm>

#include "sim/engine/coll_lanes.hpp"

namespace trainsim::engine {

namespace {

class TreePlan final : public LanePlan {
 public:
  explicit TreePlan(const PlanContext& ctx) {
    const int n = static_cast<int>(ctx.order.size());
    const auto both = double_binary_tree(n);
    std::vector<const Tree*> trees{&both.first};
    if (!ctx.spec.single_tree) trees.push_back(&both.second);
    const Bytes first_half = trees.size() == 1 ? ctx.spec.bytes : share_bytes(ctx.spec.bytes, 2, 0);
    chunks_ = CollectivePlanner::chunks(first_half);
    for (std::size_t t = 0; t < trees.size(); ++t) {
      TreeLanes tl;
      tl.tree = *trees[t];
      tl.bytes = trees.size() == 1 ? ctx.spec.bytes : share_bytes(ctx.spec.bytes, 2, static_cast<long long>(t));
      tl.up.assign(static_cast<std::size_t>(n), -1);
      tl.down.assign(static_cast<std::size_t>(n), -1);
      std::vector<int> depth(static_cast<std::size_t>(n), 0);
      std::vector<int> nodes;
      for (int v = 0; v < n; ++v) {
        for (int p = tl.tree.parent[static_cast<std::size_t>(v)]; p >= 0; p = tl.tree.parent[static_cast<std::size_t>(p)]) {
          ++depth[static_cast<std::size_t>(v)];
        }
        if (tl.tree.parent[static_cast<std::size_t>(v)] >= 0) nodes.push_back(v);
      }
      const auto by_depth = [&](int a, int b) {
        return depth[static_cast<std::size_t>(a)] != depth[static_cast<std::size_t>(b)]
                   ? depth[static_cast<std::size_t>(a)] < depth[static_cast<std::size_t>(b)]
                   : a < b;
      };
      std::sort(nodes.begin(), nodes.end(), by_depth);
      // Tree node v is ring position v: rank ctx.order[v].
      const auto rank = [&](int v) { return ctx.order[static_cast<std::size_t>(v)]; };
      for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
        const int v = *it;
        const int p = tl.tree.parent[static_cast<std::size_t>(v)];
        tl.up[static_cast<std::size_t>(v)] = static_cast<int>(lanes_.size());
        lanes_.push_back({ctx.host(rank(v)), ctx.host(rank(p)), rank(v), rank(p), chunks_});
        owner_.push_back(static_cast<int>(t));
      }
      for (const int v : nodes) {
        const int p = tl.tree.parent[static_cast<std::size_t>(v)];
        tl.down[static_cast<std::size_t>(v)] = static_cast<int>(lanes_.size());
        lanes_.push_back({ctx.host(rank(p)), ctx.host(rank(v)), rank(p), rank(v), chunks_});
        owner_.push_back(static_cast<int>(t));
      }
      trees_.push_back(std::move(tl));
    }
    node_of_.assign(lanes_.size(), -1);
    up_lane_.assign(lanes_.size(), false);
    for (const auto& tl : trees_) {
      for (std::size_t v = 0; v < tl.up.size(); ++v) {
        if (tl.up[v] >= 0) {
          node_of_[static_cast<std::size_t>(tl.up[v])] = static_cast<int>(v);
          up_lane_[static_cast<std::size_t>(tl.up[v])] = true;
        }
        if (tl.down[v] >= 0) node_of_[static_cast<std::size_t>(tl.down[v])] = static_cast<int>(v);
      }
    }
  }

  Bytes bytes(int lane, int chunk) const override {
    return share_bytes(trees_[static_cast<std::size_t>(owner_[static_cast<std::size_t>(lane)])].bytes, chunks_, chunk);
  }

  void after(int lane, int chunk, std::vector<LaneRef>& out) const override {
    out.clear();
    const TreeLanes& tl = trees_[static_cast<std::size_t>(owner_[static_cast<std::size_t>(lane)])];
    const int v = node_of_[static_cast<std::size_t>(lane)];
    const auto children_up = [&](int node) {
      for (const int c : tl.tree.children[static_cast<std::size_t>(node)]) out.push_back({tl.up[static_cast<std::size_t>(c)], chunk});
    };
    if (up_lane_[static_cast<std::size_t>(lane)]) {
      children_up(v);  // what it adds to its own before sending up
      return;
    }
    const int p = tl.tree.parent[static_cast<std::size_t>(v)];
    if (p == tl.tree.root) {
      children_up(p);  // the root has the sum once every child delivered the chunk
    } else {
      out.push_back({tl.down[static_cast<std::size_t>(p)], chunk});
    }
  }

 private:
  struct TreeLanes {
    Tree tree;
    Bytes bytes = 0;
    std::vector<int> up;    // lane of node v's edge to its parent, upward; -1 for the root
    std::vector<int> down;  // the same edge, downward
  };
  int chunks_ = 1;
  std::vector<TreeLanes> trees_;
  std::vector<int> owner_;    // lane -> tree
  std::vector<int> node_of_;  // lane -> tree node whose parent edge it is
  std::vector<bool> up_lane_;
};

}  // namespace

std::unique_ptr<LanePlan> tree_plan(const PlanContext& ctx) { return std::make_unique<TreePlan>(ctx); }

}  // namespace trainsim::engine
