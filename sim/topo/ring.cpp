#include "sim/topo/ring.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

namespace trainsim {

std::vector<double> ring_hop_gbps(const Topology& topo, const std::vector<int>& order, bool effective) {
  const std::size_t n = order.size();
  std::map<std::pair<std::size_t, bool>, int> load;
  const auto key = [&](const Hop& h) {
    return std::make_pair(h.link, topo.links()[h.link].shared ? true : h.forward);
  };
  for (std::size_t i = 0; i < n; ++i) {
    for (const Hop& h : topo.gpu_path(order[i], order[(i + 1) % n]).route.hops) ++load[key(h)];
  }
  std::vector<double> out(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double w = std::numeric_limits<double>::infinity();
    for (const Hop& h : topo.gpu_path(order[i], order[(i + 1) % n]).route.hops) {
      const TopoLink& l = topo.links()[h.link];
      w = std::min(w, (effective ? l.effective_gbps() : l.gbps_per_direction) / load[key(h)]);
    }
    out[i] = w;
  }
  return out;
}

namespace {

struct RingScore {
  double effective_gbps = 0;
  double latency_us = 0;
};

RingScore score(const Topology& topo, const std::vector<int>& order) {
  const auto eff = ring_hop_gbps(topo, order, true);
  RingScore s{*std::min_element(eff.begin(), eff.end()), 0.0};
  for (std::size_t i = 0; i < order.size(); ++i) {
    s.latency_us = std::max(s.latency_us, topo.gpu_path(order[i], order[(i + 1) % order.size()]).route.latency_us);
  }
  return s;
}

// Wider bottleneck first, then lower latency; a relative tolerance so that float noise cannot
// pick between equal rings (the first found, in lexicographic order, stays).
bool better(const RingScore& a, const RingScore& b) {
  if (a.effective_gbps > b.effective_gbps * (1 + 1e-12)) return true;
  if (a.effective_gbps < b.effective_gbps * (1 - 1e-12)) return false;
  return a.latency_us < b.latency_us * (1 - 1e-12);
}

// Exhaustive search is (n-1)! rings: 40,320 for 9 GPUs. Larger (full-form) nodes get a greedy
// ring improved by 2-opt moves until none helps: not always the best, always a good one.
constexpr std::size_t kExhaustiveMax = 9;

std::vector<int> greedy_ring(const Topology& topo, const std::vector<int>& gpus) {
  std::vector<int> order{gpus.front()};
  std::vector<bool> used(gpus.size(), false);
  used[0] = true;
  while (order.size() < gpus.size()) {
    std::size_t pick = gpus.size();
    for (std::size_t i = 0; i < gpus.size(); ++i) {
      if (used[i]) continue;
      const double w = topo.gpu_path(order.back(), gpus[i]).route.effective_gbps;
      if (pick == gpus.size() || w > topo.gpu_path(order.back(), gpus[pick]).route.effective_gbps) pick = i;
    }
    used[pick] = true;
    order.push_back(gpus[pick]);
  }
  RingScore best = score(topo, order);
  for (bool improved = true; improved;) {
    improved = false;
    for (std::size_t i = 1; i + 1 < order.size(); ++i) {
      for (std::size_t j = i + 1; j < order.size(); ++j) {
        std::vector<int> candidate = order;
        std::reverse(candidate.begin() + static_cast<long>(i), candidate.begin() + static_cast<long>(j) + 1);
        const RingScore s = score(topo, candidate);
        if (better(s, best)) {
          order = std::move(candidate);
          best = s;
          improved = true;
        }
      }
    }
  }
  return order;
}

}  // namespace

Ring best_ring(const Topology& topo, std::vector<int> gpus) {
  if (gpus.empty()) {
    gpus.resize(static_cast<std::size_t>(topo.gpu_count()));
    std::iota(gpus.begin(), gpus.end(), 0);
  }
  std::sort(gpus.begin(), gpus.end());
  if (topo.machines() > 1 && gpus.size() > 1 && topo.machine_of(gpus.front()) != topo.machine_of(gpus.back())) {
    return cluster_ring(topo, gpus);
  }
  Ring best;
  best.order = gpus;
  if (gpus.size() < 2) return best;
  RingScore top;
  if (gpus.size() > kExhaustiveMax) {
    best.order = greedy_ring(topo, gpus);
    top = score(topo, best.order);
  } else {
    bool have = false;
    std::vector<int> perm = gpus;
    // Rank order[0] is fixed: rotations of a ring are the same ring.
    do {
      const RingScore s = score(topo, perm);
      if (!have || better(s, top)) {
        have = true;
        best.order = perm;
        top = s;
      }
    } while (std::next_permutation(perm.begin() + 1, perm.end()));
  }
  best.effective_gbps = top.effective_gbps;
  best.latency_us = top.latency_us;
  const auto raw = ring_hop_gbps(topo, best.order, false);
  best.bottleneck_gbps = *std::min_element(raw.begin(), raw.end());
  return best;
}

int Tree::depth() const {
  int d = 0;
  for (std::size_t r = 0; r < parent.size(); ++r) {
    int k = 0;
    for (int p = parent[r]; p >= 0; p = parent[static_cast<std::size_t>(p)]) ++k;
    d = std::max(d, k);
  }
  return d;
}

namespace {

// NCCL's in-order binary tree (src/graph/trees.cc, ncclGetBtree): the parent of rank r is found
// from its lowest set bit; rank 0 is the root and has one child.
void btree(int n, int rank, int& parent, int& child0, int& child1) {
  int bit = 1;
  for (; bit < n; bit <<= 1) {
    if ((bit & rank) != 0) break;
  }
  if (rank == 0) {
    parent = -1;
    child0 = -1;
    child1 = n > 1 ? bit >> 1 : -1;  // rank 0's only child is its child 1
    return;
  }
  int up = (rank ^ bit) | (bit << 1);
  if (up >= n) up = rank ^ bit;
  parent = up;
  int lowbit = bit >> 1;
  child0 = lowbit == 0 ? -1 : rank - lowbit;
  int down1 = lowbit == 0 ? -1 : rank + lowbit;
  while (down1 >= n) {  // shrink toward rank until inside [0, n)
    down1 = lowbit == 0 ? -1 : rank + lowbit;
    lowbit >>= 1;
  }
  child1 = down1;
}

Tree tree_from(int n, const std::vector<int>& rank_of) {
  Tree t;
  t.parent.assign(static_cast<std::size_t>(n), -1);
  t.children.assign(static_cast<std::size_t>(n), {});
  for (int r = 0; r < n; ++r) {
    int p = 0, c0 = 0, c1 = 0;
    btree(n, r, p, c0, c1);
    const int me = rank_of[static_cast<std::size_t>(r)];
    if (p >= 0) {
      const int pr = rank_of[static_cast<std::size_t>(p)];
      t.parent[static_cast<std::size_t>(me)] = pr;
    } else {
      t.root = me;
    }
  }
  for (int r = 0; r < n; ++r) {
    const int p = t.parent[static_cast<std::size_t>(r)];
    if (p >= 0) t.children[static_cast<std::size_t>(p)].push_back(r);
  }
  return t;
}

}  // namespace

std::pair<Tree, Tree> double_binary_tree(int n) {
  std::vector<int> identity(static_cast<std::size_t>(n));
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<int> other(static_cast<std::size_t>(n));
  for (int r = 0; r < n; ++r) {
    // Odd n: shift by one; even n: mirror (NCCL ncclGetDtree).
    other[static_cast<std::size_t>(r)] = n % 2 == 1 ? (r + 1) % n : n - 1 - r;
  }
  return {tree_from(n, identity), tree_from(n, other)};
}

}  // namespace trainsim
