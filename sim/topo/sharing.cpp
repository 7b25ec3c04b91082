#include "sim/topo/sharing.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "sim/hw/units.hpp"

namespace trainsim {

std::vector<double> concurrent_gbps(const Topology& topo, const std::vector<const Route*>& routes) {
  // (link, direction) -> crossings; a shared link has one key for both directions.
  std::map<std::pair<std::size_t, bool>, int> load;
  const auto key = [&](const Hop& h) { return std::make_pair(h.link, topo.links()[h.link].shared ? true : h.forward); };
  for (const Route* r : routes) {
    for (const Hop& h : r->hops) ++load[key(h)];
  }
  std::vector<double> out;
  out.reserve(routes.size());
  for (const Route* r : routes) {
    double w = r->hops.empty() ? 0.0 : std::numeric_limits<double>::infinity();
    for (const Hop& h : r->hops) w = std::min(w, topo.links()[h.link].effective_gbps() / load[key(h)]);
    out.push_back(w);
  }
  return out;
}

ConcurrentPaths concurrent_paths(const Topology& topo, const std::vector<const Route*>& routes) {
  ConcurrentPaths p;
  const auto share = concurrent_gbps(topo, routes);
  if (!share.empty()) p.min_gbps = *std::min_element(share.begin(), share.end());
  for (const Route* r : routes) p.max_latency_s = std::max(p.max_latency_s, microseconds(r->latency_us));
  return p;
}

}  // namespace trainsim
