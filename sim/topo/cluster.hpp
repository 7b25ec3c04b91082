// A cluster as plain data: N copies of one machine (a node spec) joined by a network, and its
// expansion into one flat NodeSpec that Topology::build turns into a graph like any node's. Each
// machine gets NICs on its PCIe switches (rails: NIC r next to the GPUs of rail r); the NICs meet
// in one switch, or in a rail-optimised leaf/spine fabric (leaf r joins NIC r of every machine;
// the leaves share a spine whose uplinks are the leaves' downlinks divided by the
// oversubscription). Without GPUDirect RDMA, traffic between a GPU and its NIC is staged through
// host memory and the root complex.
#pragma once

#include <string>

#include "sim/hw/fabric.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim {

enum class NetworkTopology { single_switch, rail_optimized };

[[nodiscard]] std::string_view to_string(NetworkTopology t);
[[nodiscard]] std::optional<NetworkTopology> parse_network_topology(std::string_view s);
[[nodiscard]] const std::vector<std::string>& network_topology_names();

struct NetworkSpec {
  int nics_per_node = 1;
  double nic_gbits = 100;  // line rate of one NIC, Gb/s per direction (as NICs are sold)
  Fabric fabric = Fabric::infiniband;
  bool gpudirect = true;
  NetworkTopology topology = NetworkTopology::single_switch;
  double oversubscription = 1;  // rail-optimised: leaf downlink / uplink capacity
  SourceLocation where, nics_where, gpudirect_where;
};

struct ClusterSpec {
  std::string name;
  std::string description;
  int nodes = 2;
  NodeSpec node;  // one machine
  NetworkSpec network;
  SourceLocation where, nodes_where;
};

inline constexpr int kMaxClusterNodes = 256;
// Every GPU pair has a stored path: 512 GPUs (64 DGX nodes) are 262,144 of them.
inline constexpr int kMaxClusterGpus = 512;

// The flat spec: machine m's vertices are named "n<m>.<name>" and carry machine = m; NICs are
// "n<m>.nic<r>"; switches "switch" or "leaf<r>" and "spine". Throws InputError naming the key.
[[nodiscard]] NodeSpec expand_cluster(const ClusterSpec& cluster);

}  // namespace trainsim

namespace trainsim {

// Machine 0 of a cluster's flat spec as a node of its own (no NICs, no network); a node's spec
// unchanged. For what runs on one machine's share: the 1-GPU baseline, a packed campaign slot.
[[nodiscard]] NodeSpec first_machine(const NodeSpec& spec);

}  // namespace trainsim
