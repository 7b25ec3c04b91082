// The node as SimGrid sees it, still without SimGrid: hosts (GPUs, CPU sockets, storage), links
// with their effective bandwidth in bytes/s and latency in seconds, and one route per ordered
// pair of hosts. sim/engine builds the SimGrid platform from it; to_simgrid_xml writes the same
// thing as a platform file, so the two cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "sim/topo/topology.hpp"

namespace trainsim {

struct PlatformHost {
  std::string name;
  VertexKind kind = VertexKind::gpu;
  std::size_t vertex = 0;
  int cores = 1;
  // Exec amounts are seconds of work on one core: a GPU host computes 1 "flop" per second and a
  // kernel of t seconds is an Exec of t. The compute model decides t; SimGrid shares it.
  double speed = 1.0;
};

struct PlatformLink {
  std::string name;
  std::size_t topo_link = 0;  // the topology link it is (an NVLS port: the GPU's link to the switch)
  double bytes_per_s = 0;  // effective: line rate x protocol efficiency
  double latency_s = 0;
  bool shared = false;     // SHARED (one capacity) instead of SPLITDUPLEX
};

struct PlatformRoute {
  std::size_t src = 0;  // indices into hosts
  std::size_t dst = 0;
  std::vector<Hop> hops;  // Hop::link indexes links (the topology's links keep their index; NVLS ports follow)
};

// NVLink SHARP ports. Where the node has NVLS (Topology::nvls_efficiency() > 0), each GPU's route
// to and from the NVSwitch host also crosses a port link of the switch, split-duplex, whose
// bandwidth is the NVLS efficiency times the route's effective bandwidth: in-switch reduction and
// multicast run at that fraction of the port rate, while the GPU's NVLink itself stays shared with
// its other traffic. SimGrid links need a latency > 0: the port adds this much to the route.
inline constexpr double kNvlsPortLatencyS = 1e-9;

struct PlatformDescription {
  std::vector<PlatformHost> hosts;
  std::vector<PlatformLink> links;
  std::vector<PlatformRoute> routes;
  std::vector<std::size_t> gpu_hosts;  // host index of GPU i
  std::vector<std::size_t> cpu_hosts;  // host index of socket host k (Topology::hosts() order)
  std::size_t storage_host = 0;        // == hosts.size() when the node has none
  std::vector<std::size_t> switch_hosts;  // NVSwitches: endpoints of NVLink SHARP traffic
  // routes[route_index[src * hosts.size() + dst]] (routes.size(): none); empty: route() scans.
  std::vector<std::size_t> route_index;

  [[nodiscard]] const PlatformRoute* route(std::size_t src, std::size_t dst) const;
};

[[nodiscard]] PlatformDescription describe_platform(const Topology& topo);

// SimGrid 3.32 platform XML (DTD 4.1) of the description.
[[nodiscard]] std::string to_simgrid_xml(const Topology& topo);

// Graphviz DOT of the graph: vertices by kind, edges labelled with kind and GB/s.
[[nodiscard]] std::string to_dot(const Topology& topo);

}  // namespace trainsim
