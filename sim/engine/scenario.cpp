#include "sim/engine/scenario.hpp"

#include <algorithm>

#include "sim/topo/cluster.hpp"

namespace trainsim {

Scenario one_gpu(const Scenario& cluster_or_node) {
  Scenario s = cluster_or_node;
  s.platform = first_machine(s.platform);  // a cluster's baseline: one GPU of its first machine
  Scenario b = s;
  std::vector<std::string> dropped;
  bool kept = false;
  b.platform.vertices.clear();
  for (const auto& v : s.platform.vertices) {
    if (v.kind == VertexKind::gpu) {
      if (kept) {
        dropped.push_back(v.name);
        continue;
      }
      kept = true;
    }
    b.platform.vertices.push_back(v);
  }
  b.platform.links.clear();
  for (const auto& l : s.platform.links) {
    const bool gone = std::find(dropped.begin(), dropped.end(), l.a) != dropped.end() ||
                      std::find(dropped.begin(), dropped.end(), l.b) != dropped.end();
    if (!gone) b.platform.links.push_back(l);
  }
  return b;
}

}  // namespace trainsim
