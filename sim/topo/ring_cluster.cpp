// Rings across the machines of a cluster (see ring.hpp, cluster_ring).
#include <algorithm>
#include <limits>
#include <map>

#include "sim/topo/ring.hpp"

namespace trainsim {

namespace {

constexpr int kMinChannels = 2;
constexpr int kMaxChannels = 16;

}  // namespace

Ring cluster_ring(const Topology& topo, const std::vector<int>& gpus) {
  const int per_machine = topo.cluster() ? topo.cluster()->gpus_per_machine : topo.gpu_count();
  std::map<int, std::vector<int>> by_machine;
  for (const int g : gpus) by_machine[topo.machine_of(g)].push_back(g);
  // The machine-local ring of each pattern of local GPUs (machines are identical): searched once.
  std::map<std::vector<int>, std::vector<int>> local_rings;
  std::vector<std::vector<int>> locals;  // per machine in order: the local ring, as GPU indices
  for (const auto& [m, members] : by_machine) {
    std::vector<int> pattern;
    for (const int g : members) pattern.push_back(g - m * per_machine);
    auto it = local_rings.find(pattern);
    if (it == local_rings.end()) {
      const Ring r = best_ring(topo, std::vector<int>(pattern.begin(), pattern.end()));
      it = local_rings.emplace(pattern, r.order).first;
    }
    std::vector<int> order;
    for (const int l : it->second) order.push_back(l + m * per_machine);
    locals.push_back(order);
  }
  const int nics = topo.cluster() ? topo.cluster()->nics_per_machine : 1;
  const int channels = std::clamp(nics, kMinChannels, kMaxChannels);
  Ring ring;
  for (int c = 0; c < channels; ++c) {
    std::vector<int> order;
    for (std::size_t k = 0; k < locals.size(); ++k) {
      const auto& t = locals[k];
      const std::size_t len = t.size();
      const std::size_t s = static_cast<std::size_t>(c) * len / static_cast<std::size_t>(channels);
      for (std::size_t i = 0; i < len; ++i) {
        // Even machines: t[s], t[s+1], ..., t[s-1]; odd ones: t[s-1], t[s-2], ..., t[s].
        const std::size_t at = k % 2 == 0 ? (s + i) % len : (s + len - 1 - i) % len;
        order.push_back(t[at]);
      }
    }
    ring.channel_orders.push_back(std::move(order));
  }
  ring.order = ring.channel_orders.front();
  // Every hop of every channel carries one flow at once: each link's capacity is shared among them.
  std::map<std::pair<std::size_t, bool>, int> load;
  const auto key = [&](const Hop& h) { return std::make_pair(h.link, topo.links()[h.link].shared ? true : h.forward); };
  for (const auto& order : ring.channel_orders) {
    for (std::size_t i = 0; i < order.size(); ++i) {
      const GpuPath& p = topo.gpu_path(order[i], order[(i + 1) % order.size()]);
      for (const Hop& h : p.route.hops) ++load[key(h)];
      ring.latency_us = std::max(ring.latency_us, p.route.latency_us);
    }
  }
  double effective = std::numeric_limits<double>::infinity();
  double line = std::numeric_limits<double>::infinity();
  for (const auto& [k, count] : load) {
    const TopoLink& l = topo.links()[k.first];
    effective = std::min(effective, l.effective_gbps() / count);
    line = std::min(line, l.gbps_per_direction / count);
  }
  ring.effective_gbps = effective * channels;
  ring.bottleneck_gbps = line * channels;
  return ring;
}

}  // namespace trainsim
