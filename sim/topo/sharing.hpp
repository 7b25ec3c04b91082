// How concurrent flows share the node's links, without simulating: every link divides its capacity
// equally among the flows that cross it. This is what the alpha-beta predictions of collectives
// use for "the bandwidth of one transfer" when an algorithm keeps several flows in flight at once.
#pragma once

#include <vector>

#include "sim/topo/topology.hpp"

namespace trainsim {

// The effective GB/s of each route when every route carries one flow at once: per link and
// direction (shared links: both directions together), the capacity divided by the number of
// crossings; a route gets its narrowest such share. Routes with no hops get 0.
[[nodiscard]] std::vector<double> concurrent_gbps(const Topology& topo, const std::vector<const Route*>& routes);

// The narrowest of concurrent_gbps (0 for no routes) and the largest route latency in seconds.
struct ConcurrentPaths {
  double min_gbps = 0;
  double max_latency_s = 0;
};
[[nodiscard]] ConcurrentPaths concurrent_paths(const Topology& topo, const std::vector<const Route*>& routes);

}  // namespace trainsim
