// The planner's side of the hierarchical all-reduce (coll_hier.cpp builds its transfers): where it
// applies, its lanes' shape, its pipeline chunks and its alpha-beta time. No SimGrid here.
#include <algorithm>
#include <map>

#include "sim/engine/coll_planner.hpp"
#include "sim/topo/ring.hpp"
#include "sim/topo/sharing.hpp"

namespace trainsim {

std::vector<long long> hier_chunk_weights(Bytes bytes) {
  const auto wanted = static_cast<long long>(std::ceil(std::max(0.0, bytes) / kHierChunkBytes));
  const int p = static_cast<int>(std::clamp<long long>(wanted, 1, kHierMaxChunks));
  std::vector<long long> w;
  for (int i = 0; i < p; ++i) w.push_back(1LL << std::min({i, p - 1 - i, 5}));
  return w;
}

Seconds hier_step_latency(Seconds alpha, double steps, int chunks) {
  return alpha * std::max(1.0, steps / std::max(1, chunks));
}

Bytes weighted_bytes(Bytes total, const std::vector<long long>& weights, std::size_t part) {
  const auto t = static_cast<long long>(std::llround(std::max(0.0, total)));
  long long sum = 0;
  long long before = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (i < part) before += weights[i];
    sum += weights[i];
  }
  if (sum <= 0 || part >= weights.size()) return 0.0;
  const long long after = before + weights[part];
  // t * weight sums stay far below 2^63 (t < 2^40, sums < 2^7).
  return static_cast<Bytes>(t * after / sum - t * before / sum);
}

void HierLayout::index_ranks(std::size_t ranks) {
  machine_of.assign(ranks, 0);
  ring_pos.assign(ranks, 0);
  slot_of.assign(ranks, 0);
  for (int k = 0; k < machines(); ++k) {
    const auto& loc = local[static_cast<std::size_t>(k)];
    for (int j = 0; j < per_machine(); ++j) {
      machine_of[static_cast<std::size_t>(loc[static_cast<std::size_t>(j)])] = k;
      ring_pos[static_cast<std::size_t>(loc[static_cast<std::size_t>(j)])] = j;
    }
    for (int l = 0; l < per_machine(); ++l) slot_of[static_cast<std::size_t>(at(k, l))] = l;
  }
}

bool CollectivePlanner::hierarchical_layout(const std::vector<int>& ranks, HierLayout* out, std::string* why) const {
  const auto fail = [&](const std::string& reason) {
    if (why != nullptr) *why = reason;
    return false;
  };
  const Topology& t = *topo_;
  if (t.machines() < 2 || !t.cluster()) return fail("hierarchical needs a cluster: ranks on several machines");
  const int per = t.cluster()->gpus_per_machine;
  std::map<int, std::vector<int>> local_gpus;  // machine -> machine-local GPU indices of its ranks
  std::map<int, int> position;                 // GPU -> position in ranks
  for (std::size_t k = 0; k < ranks.size(); ++k) {
    const int m = t.machine_of(ranks[k]);
    local_gpus[m].push_back(ranks[k] - m * per);
    position[ranks[k]] = static_cast<int>(k);
  }
  if (local_gpus.size() < 2) return fail("hierarchical needs ranks on at least 2 machines");
  std::vector<int> pattern = local_gpus.begin()->second;
  std::sort(pattern.begin(), pattern.end());
  if (pattern.size() < 2) return fail("hierarchical needs at least 2 ranks on each machine (else it is the ring)");
  for (auto& [m, gpus] : local_gpus) {
    std::sort(gpus.begin(), gpus.end());
    if (gpus != pattern) return fail("hierarchical needs the same GPUs of every machine among the ranks");
  }
  if (out == nullptr) return true;
  // The machines' rings: the cluster ring visits the machines one after another, each along the
  // machine's best ring (ring_cluster.cpp).
  const Ring& r = ring(ranks);
  const std::vector<int>& order = r.channel_orders.empty() ? r.order : r.channel_orders.front();
  std::map<int, std::vector<int>> local;
  for (const int g : order) local[t.machine_of(g)].push_back(position.at(g));
  out->local.clear();
  out->slots.clear();
  for (const auto& [m, gpus] : local_gpus) {
    out->local.push_back(local.at(m));
    std::vector<int> slots;
    for (const int l : gpus) slots.push_back(position.at(l + m * per));
    out->slots.push_back(std::move(slots));
  }
  return true;
}

// Stages per chunk p: the reduce-scatter on the machines' ring hops, the rails' rings, the
// all-gather; a stage's chunk p starts after its chunk p-1 and after the previous stage's chunk p
// (the lanes' dependencies, coll_hier.cpp). Shares: every intra-machine hop and every rail hop
// carrying one flow at once.
Seconds CollectivePlanner::hierarchical_time(Bytes S, const std::vector<int>& ranks) const {
  HierLayout L;
  if (!hierarchical_layout(ranks, &L)) return 0.0;
  const Topology& t = *topo_;
  const int m = L.machines();
  const int g = L.per_machine();
  const double n = static_cast<double>(m) * g;
  const Bytes intra = S * (g - 1) * (n - 1) / (g * n);  // per machine-ring hop and phase
  const Bytes inter = 2 * S * (n - 1) / (g * n);        // per rail hop
  std::vector<const Route*> routes;
  double alpha_intra = 0;
  double alpha_inter = 0;
  for (const auto& loc : L.local) {
    for (std::size_t j = 0; j < loc.size(); ++j) {
      const Route& rt = t.gpu_path(ranks[static_cast<std::size_t>(loc[j])], ranks[static_cast<std::size_t>(loc[(j + 1) % loc.size()])]).route;
      routes.push_back(&rt);
      alpha_intra = std::max(alpha_intra, microseconds(rt.latency_us));
    }
  }
  const std::size_t intra_routes = routes.size();
  for (int l = 0; l < g; ++l) {
    for (int k = 0; k < m; ++k) {
      const int a = ranks[static_cast<std::size_t>(L.slots[static_cast<std::size_t>(k)][static_cast<std::size_t>(l)])];
      const int b = ranks[static_cast<std::size_t>(L.slots[static_cast<std::size_t>((k + 1) % m)][static_cast<std::size_t>(l)])];
      const Route& rt = t.gpu_path(a, b).route;
      routes.push_back(&rt);
      alpha_inter = std::max(alpha_inter, microseconds(rt.latency_us));
    }
  }
  const std::vector<double> share = concurrent_gbps(t, routes);
  const double bw_intra = *std::min_element(share.begin(), share.begin() + static_cast<long>(intra_routes));
  const double bw_inter = *std::min_element(share.begin() + static_cast<long>(intra_routes), share.end());
  const std::vector<long long> w = hier_chunk_weights(S);
  long long sum = 0;
  for (const long long x : w) sum += x;
  // Each stage's transfer pays its share of NCCL's ring steps (n-M per machine-ring phase, 2(M-1)
  // across the network), as the lanes do.
  const int chunks = static_cast<int>(w.size());
  alpha_intra = hier_step_latency(alpha_intra, n - m, chunks);
  alpha_inter = hier_step_latency(alpha_inter, 2.0 * (m - 1), chunks);
  Seconds rs = 0;
  Seconds net = 0;
  Seconds ag = 0;
  for (const long long x : w) {
    const double f = static_cast<double>(x) / static_cast<double>(sum);
    rs += alpha_intra + f * intra / gbps(bw_intra);
    net = std::max(net, rs) + alpha_inter + f * inter / gbps(bw_inter);
    ag = std::max(ag, net) + alpha_intra + f * intra / gbps(bw_intra);
  }
  return ag;
}

// The tree across machines (coll_tree_cluster.cpp): per chunk p the machine-ring reduce-scatter
// (S (g-1)/g per hop, (g-1)/P chain latencies), 2 D tree levels (S / 2g per edge, one route
// latency each: up the deeper tree and down again), the all-gather; stage s's chunk p after its
// chunk p-1 and after stage s-1's chunk p. Shares: every machine-ring hop and every tree edge of
// every slot and both trees carrying one flow at once, up and down (chunks overlap); with one chunk
// the machine rings apart from the trees (they run one after the other) and the trees one way.
Seconds CollectivePlanner::cluster_tree_time(Bytes S, const std::vector<int>& ranks) const {
  HierLayout L;
  if (!hierarchical_layout(ranks, &L)) return 0.0;
  const Topology& t = *topo_;
  const int m = L.machines();
  const int g = L.per_machine();
  std::vector<const Route*> routes;
  double alpha_intra = 0;
  double alpha_inter = 0;
  for (const auto& loc : L.local) {
    for (std::size_t j = 0; j < loc.size(); ++j) {
      const Route& rt = t.gpu_path(ranks[static_cast<std::size_t>(loc[j])], ranks[static_cast<std::size_t>(loc[(j + 1) % loc.size()])]).route;
      routes.push_back(&rt);
      alpha_intra = std::max(alpha_intra, microseconds(rt.latency_us));
    }
  }
  const std::size_t intra_routes = routes.size();
  std::vector<const Route*> up;
  std::vector<const Route*> down;
  const auto trees = double_binary_tree(m);
  int depth = 0;
  for (const Tree* tr : {&trees.first, &trees.second}) {
    depth = std::max(depth, tr->depth());
    for (int v = 0; v < m; ++v) {
      const int p = tr->parent[static_cast<std::size_t>(v)];
      if (p < 0) continue;
      for (int l = 0; l < g; ++l) {
        const int a = ranks[static_cast<std::size_t>(L.slots[static_cast<std::size_t>(v)][static_cast<std::size_t>(l)])];
        const int b = ranks[static_cast<std::size_t>(L.slots[static_cast<std::size_t>(p)][static_cast<std::size_t>(l)])];
        up.push_back(&t.gpu_path(a, b).route);
        down.push_back(&t.gpu_path(b, a).route);
        alpha_inter = std::max(alpha_inter, microseconds(up.back()->latency_us));
      }
    }
  }
  const std::vector<long long> w = hier_chunk_weights(S);
  // One chunk: the stages run one after another and share nothing with each other; several: the
  // machine rings and the trees run at once.
  double bw_intra = 0;
  double bw_inter = 0;
  if (w.size() == 1) {
    const std::vector<double> a = concurrent_gbps(t, routes);
    const std::vector<double> b = concurrent_gbps(t, up);
    bw_intra = *std::min_element(a.begin(), a.end());
    bw_inter = *std::min_element(b.begin(), b.end());
  } else {
    routes.insert(routes.end(), up.begin(), up.end());
    routes.insert(routes.end(), down.begin(), down.end());
    const std::vector<double> share = concurrent_gbps(t, routes);
    bw_intra = *std::min_element(share.begin(), share.begin() + static_cast<long>(intra_routes));
    bw_inter = *std::min_element(share.begin() + static_cast<long>(intra_routes), share.end());
  }
  long long sum = 0;
  for (const long long x : w) sum += x;
  alpha_intra = hier_step_latency(alpha_intra, g - 1, static_cast<int>(w.size()));
  S /= kClusterTreeEfficiency;
  // Stages: reduce-scatter, depth levels up, depth levels down, all-gather.
  const int stages = 2 + 2 * depth;
  std::vector<Seconds> done(static_cast<std::size_t>(stages), 0.0);
  for (const long long x : w) {
    const double f = static_cast<double>(x) / static_cast<double>(sum);
    Seconds prev = 0;
    for (int s = 0; s < stages; ++s) {
      const bool machine = s == 0 || s == stages - 1;
      const Seconds step = machine ? alpha_intra + f * S * (g - 1) / g / gbps(bw_intra)
                                   : alpha_inter + f * S / (2.0 * g) / gbps(bw_inter);
      auto& d = done[static_cast<std::size_t>(s)];
      d = std::max(d, prev) + step;
      prev = d;
    }
  }
  return done.back();
}

}  // namespace trainsim
