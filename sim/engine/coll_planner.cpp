#include "sim/engine/coll_planner.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "sim/model/collectives.hpp"
#include "sim/topo/platform.hpp"
#include "sim/topo/sharing.hpp"
#include "sim/util/error.hpp"

namespace trainsim {

namespace {

constexpr Algorithm kTieOrder[] = {Algorithm::ring, Algorithm::hierarchical, Algorithm::tree, Algorithm::direct, Algorithm::nvls};

// The routes of every tree edge, up and down: in a pipelined tree they all carry a chunk at once.
std::vector<const Route*> tree_routes(const Topology& t, const std::vector<int>& order, const std::vector<const Tree*>& trees) {
  std::vector<const Route*> routes;
  for (const Tree* tree : trees) {
    for (std::size_t v = 0; v < tree->parent.size(); ++v) {
      const int p = tree->parent[v];
      if (p < 0) continue;
      const int a = order[v];
      const int b = order[static_cast<std::size_t>(p)];
      routes.push_back(&t.gpu_path(a, b).route);
      routes.push_back(&t.gpu_path(b, a).route);
    }
  }
  return routes;
}

}  // namespace

std::vector<int> all_gpus(const Topology& topo) {
  std::vector<int> g(static_cast<std::size_t>(topo.gpu_count()));
  std::iota(g.begin(), g.end(), 0);
  return g;
}

const Ring& CollectivePlanner::ring(const std::vector<int>& ranks) const {
  auto it = rings_.find(ranks);
  if (it == rings_.end()) it = rings_.emplace(ranks, best_ring(*topo_, ranks)).first;
  return it->second;
}

int CollectivePlanner::channels(const std::vector<int>& ranks) const {
  const Ring& r = ring(ranks);
  if (!r.channel_orders.empty()) return static_cast<int>(r.channel_orders.size());  // a ring across machines: one per rail
  const auto& order = r.order;
  if (order.size() < 2) return 1;
  int links = std::numeric_limits<int>::max();
  for (std::size_t i = 0; i < order.size(); ++i) {
    const GpuPath& p = topo_->gpu_path(order[i], order[(i + 1) % order.size()]);
    if (p.kind != PathKind::nvlink) return kPcieChannels;
    links = std::min(links, p.nvlinks);
  }
  return std::clamp(links, kPcieChannels, kMaxChannels);
}

int CollectivePlanner::chunks(Bytes bytes) { return pipeline_chunks(bytes, kPipelineChunkBytes, kMaxPipelineChunks); }

bool CollectivePlanner::nvls_switch(std::size_t& vertex) const {
  if (topo_->nvls_efficiency() <= 0) return false;
  int count = 0;
  for (std::size_t v = 0; v < topo_->vertex_count(); ++v) {
    if (topo_->vertex(v).kind == VertexKind::nvswitch) {
      vertex = v;
      ++count;
    }
  }
  return count == 1;
}

bool CollectivePlanner::available(CollOp op, Algorithm algo, const std::vector<int>& ranks, std::string* why) const {
  const auto fail = [&](const std::string& reason) {
    if (why != nullptr) *why = reason;
    return false;
  };
  const std::string name(to_string(algo));
  switch (algo) {
    case Algorithm::auto_:
    case Algorithm::ring: return true;
    case Algorithm::tree:
      if (op != CollOp::all_reduce) return fail("tree implements all_reduce only");
      return true;
    case Algorithm::direct:
      if (op != CollOp::all_reduce) return fail("direct (one-shot) implements all_reduce only");
      for (const int a : ranks) {
        for (const int b : ranks) {
          if (a == b) continue;
          const GpuPath& p = topo_->gpu_path(a, b);
          if (p.kind != PathKind::nvlink) {
            return fail("direct (one-shot) needs NVLink between every pair of GPUs (an NVSwitch or a full mesh); GPU" +
                        std::to_string(a) + " to GPU" + std::to_string(b) + " is " + p.label());
          }
        }
      }
      return true;
    case Algorithm::nvls: {
      if (op != CollOp::all_reduce) return fail("nvls implements all_reduce only");
      std::size_t sw = 0;
      if (!nvls_switch(sw)) {
        return fail("nvls needs one NVSwitch and GPUs of a generation with NVLink SHARP (Hopper or later; "
                    "catalog links.nvswitch.nvls_efficiency)");
      }
      for (const int g : ranks) {
        if (topo_->nvlink_route(topo_->gpu_vertex(g), sw).hops.empty()) {
          return fail("nvls: GPU" + std::to_string(g) + " has no NVLink route to the NVSwitch");
        }
      }
      return true;
    }
    case Algorithm::hierarchical:
      if (op != CollOp::all_reduce) return fail("hierarchical implements all_reduce only");
      return hierarchical_layout(ranks, nullptr, why);
  }
  return fail("unknown algorithm");
}

std::vector<Algorithm> CollectivePlanner::candidates(CollOp op, const std::vector<int>& ranks) const {
  std::vector<Algorithm> out;
  for (const Algorithm a : kTieOrder) {
    if (available(op, a, ranks)) out.push_back(a);
  }
  // Across machines the hierarchical schedule stands for NCCL's ring (the same bytes on every
  // link, O(n) transfers instead of O(C n^2)): the flat ring is then only run when asked for.
  if (std::find(out.begin(), out.end(), Algorithm::hierarchical) != out.end()) {
    out.erase(std::remove(out.begin(), out.end(), Algorithm::ring), out.end());
  }
  return out;
}

Algorithm CollectivePlanner::choose(CollOp op, Bytes bytes, const std::vector<int>& ranks) const {
  if (ranks.size() < 2 || bytes <= 0) return Algorithm::ring;
  const std::vector<Algorithm> all = candidates(op, ranks);
  Algorithm best = all.empty() ? Algorithm::ring : all.front();
  Seconds best_time = std::numeric_limits<double>::infinity();
  for (const Algorithm a : all) {
    Seconds t = predict_time(op, a, bytes, ranks);
    if (a == Algorithm::tree && cluster_tree(ranks)) t = nccl_cluster_tree_time(bytes, ranks);
    if (t < best_time) {
      best = a;
      best_time = t;
    }
  }
  return best;
}

// NCCL's tuning (src/graph/tuning.cc) credits its tree all-reduce with busBw x 0.92 and converts
// it to algorithm bandwidth with a factor 0.5 where the ring's is n / (2(n-1)): per byte the tree
// takes n / ((n-1) 0.92) of the ring's time whatever the topology, so NCCL prefers the ring for
// large messages even on 2 machines, where the fluid tree moves half the ring's bytes over the
// NICs. auto follows NCCL: the tree's own latency (its time for one byte) plus the hierarchical
// ring's bandwidth time (its time less its time for one byte) x n / ((n-1) 0.92).
Seconds CollectivePlanner::nccl_cluster_tree_time(Bytes S, const std::vector<int>& ranks) const {
  const double n = static_cast<double>(ranks.size());
  const Seconds tree_latency = cluster_tree_time(1.0, ranks);
  const Seconds ring_bytes = std::max(0.0, hierarchical_time(S, ranks) - hierarchical_time(1.0, ranks));
  return tree_latency + ring_bytes * n / ((n - 1) * kClusterTreeEfficiency);
}

Seconds CollectivePlanner::predict_time(CollOp op, Algorithm algo, Bytes S, const std::vector<int>& ranks, int root,
                                        bool single_tree) const {
  const int n = static_cast<int>(ranks.size());
  if (n < 2 || S <= 0) return 0.0;
  if (algo == Algorithm::auto_) algo = choose(op, S, ranks);
  std::string why;
  if (!available(op, algo, ranks, &why)) throw InputError({}, "algorithm", std::string(to_string(algo)), why);
  const Topology& t = *topo_;
  const Ring& r = ring(ranks);
  switch (algo) {
    case Algorithm::ring: {
      const Seconds alpha = microseconds(r.latency_us);
      const BytesPerSecond bw = gbps(r.effective_gbps);
      if (op == CollOp::all_reduce) return ring_allreduce_time(n, S, alpha, bw);
      if (op == CollOp::all_gather) return ring_all_gather_time(n, S, alpha, bw);
      if (op == CollOp::reduce_scatter) return ring_reduce_scatter_time(n, S, alpha, bw);
      // Broadcast: a chain along the ring from the root.
      if (root < 0 || root >= n) throw InputError({}, "root", std::to_string(root), "a position in ranks");
      const auto at = std::find(r.order.begin(), r.order.end(), ranks[static_cast<std::size_t>(root)]);
      const std::size_t start = static_cast<std::size_t>(at - r.order.begin());
      std::vector<const Route*> hops;
      for (int h = 0; h + 1 < n; ++h) {
        hops.push_back(&t.gpu_path(r.order[(start + static_cast<std::size_t>(h)) % r.order.size()],
                                   r.order[(start + static_cast<std::size_t>(h) + 1) % r.order.size()])
                            .route);
      }
      const ConcurrentPaths c = concurrent_paths(t, hops);
      return ring_broadcast_time(n, S, chunks(S), c.max_latency_s, gbps(c.min_gbps));
    }
    case Algorithm::tree: {
      if (!single_tree && cluster_tree(ranks)) return cluster_tree_time(S, ranks);
      const auto trees = double_binary_tree(n);
      std::vector<const Tree*> used{&trees.first};
      if (!single_tree) used.push_back(&trees.second);
      const ConcurrentPaths c = concurrent_paths(t, tree_routes(t, r.order, used));
      int height = 0;
      for (const Tree* tr : used) height = std::max(height, tr->depth());
      const Bytes s_tree = single_tree ? S : S / 2;
      return tree_allreduce_time(height, s_tree, chunks(s_tree), c.max_latency_s, gbps(c.min_gbps));
    }
    case Algorithm::direct: {
      std::vector<const Route*> flows;
      for (const int a : ranks) {
        for (const int b : ranks) {
          if (a != b) flows.push_back(&t.gpu_path(a, b).route);
        }
      }
      const ConcurrentPaths c = concurrent_paths(t, flows);
      return direct_allreduce_time(n, S, c.max_latency_s, (n - 1) * gbps(c.min_gbps));
    }
    case Algorithm::nvls: {
      std::size_t sw = 0;
      (void)nvls_switch(sw);
      std::vector<Route> routes;
      for (const int g : ranks) {
        routes.push_back(t.nvlink_route(t.gpu_vertex(g), sw));
        routes.push_back(t.nvlink_route(sw, t.gpu_vertex(g)));
      }
      std::vector<const Route*> ptrs;
      for (const Route& x : routes) ptrs.push_back(&x);
      const ConcurrentPaths c = concurrent_paths(t, ptrs);
      // The platform's NVLS port adds its latency to the route (platform.hpp).
      return nvls_allreduce_time(n, S, chunks(S), c.max_latency_s + kNvlsPortLatencyS,
                                 gbps(c.min_gbps) * t.nvls_efficiency());
    }
    case Algorithm::hierarchical: return hierarchical_time(S, ranks);
    case Algorithm::auto_: break;
  }
  return 0.0;
}

Algorithm choose_algorithm(const Topology& topo, CollOp op, Bytes bytes, const std::vector<int>& ranks) {
  return CollectivePlanner(topo).choose(op, bytes, ranks);
}

Seconds predict_time(const Topology& topo, CollOp op, Algorithm algo, Bytes bytes, const std::vector<int>& ranks) {
  return CollectivePlanner(topo).predict_time(op, algo, bytes, ranks);
}

}  // namespace trainsim
