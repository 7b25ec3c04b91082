#include "sim/topo/cluster.hpp"

#include <algorithm>

#include "sim/util/strings.hpp"

namespace trainsim {

const std::vector<std::string>& network_topology_names() {
  static const std::vector<std::string> names{"single-switch", "rail-optimized"};
  return names;
}

std::string_view to_string(NetworkTopology t) { return network_topology_names()[static_cast<std::size_t>(t)]; }

std::optional<NetworkTopology> parse_network_topology(std::string_view s) {
  const auto& names = network_topology_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) return static_cast<NetworkTopology>(i);
  }
  return std::nullopt;
}

namespace {

std::string machine_name(int m, const std::string& v) { return "n" + std::to_string(m) + "." + v; }

// The vertex a GPU hangs off over PCIe (its PCIe switch or root port): where its rail's NIC goes.
const LinkSpec& pcie_parent_link(const NodeSpec& node, const std::string& gpu) {
  for (const LinkSpec& l : node.links) {
    if (l.kind == LinkKind::pcie && (l.a == gpu || l.b == gpu)) return l;
  }
  throw InputError(node.where, "cluster.node", gpu, "a machine whose GPUs have PCIe links (the NICs sit on them)");
}

}  // namespace

NodeSpec expand_cluster(const ClusterSpec& c) {
  const NetworkSpec& net = c.network;
  if (c.nodes < 1 || c.nodes > kMaxClusterNodes) {
    throw InputError(c.nodes_where, "cluster.nodes", std::to_string(c.nodes), "1 to " + std::to_string(kMaxClusterNodes) + " nodes");
  }
  if (c.node.cluster) throw InputError(c.where, "cluster.node", c.node.name, "a node, not a cluster");
  std::vector<std::string> gpus;
  for (const VertexSpec& v : c.node.vertices) {
    if (v.kind == VertexKind::gpu) gpus.push_back(v.name);
  }
  const int g = static_cast<int>(gpus.size());
  if (g == 0) throw InputError(c.where, "cluster.node", c.node.name, "a node with at least one GPU");
  if (static_cast<long long>(g) * c.nodes > kMaxClusterGpus) {
    throw InputError(c.nodes_where, "cluster.nodes", std::to_string(c.nodes),
                     "at most " + std::to_string(kMaxClusterGpus / g) + " nodes of " + std::to_string(g) + " GPUs (" +
                         std::to_string(kMaxClusterGpus) + " GPUs in a cluster)");
  }
  if (net.nics_per_node < 1 || net.nics_per_node > g) {
    throw InputError(net.nics_where, "cluster.network.nics_per_node", std::to_string(net.nics_per_node),
                     "1 to " + std::to_string(g) + " NICs (at most one per GPU of " + c.node.name + ")");
  }
  if (!(net.nic_gbits > 0) || !(net.oversubscription >= 1)) {
    throw InputError(net.where, "cluster.network", format_double(net.nic_gbits) + " Gb/s, " + format_double(net.oversubscription),
                     "nic_gbps > 0 and oversubscription >= 1");
  }
  NodeSpec out;
  out.name = c.name;
  out.description = c.description;
  out.p2p = c.node.p2p;
  out.storage = c.node.storage;
  out.cpu_per_core_speed = c.node.cpu_per_core_speed;  // every machine has the host CPU of its node
  out.cpu_speed_source = c.node.cpu_speed_source;
  out.where = c.where;
  ClusterLayout layout;
  layout.machines = c.nodes;
  layout.gpus_per_machine = g;
  layout.nics_per_machine = net.nics_per_node;
  layout.gpudirect = net.gpudirect;
  for (int i = 0; i < g; ++i) layout.rail_of_gpu.push_back(i * net.nics_per_node / g);

  // Each machine, without its storage: data reads are not simulated on clusters (docs/platforms.md).
  std::vector<VertexSpec> machine_vertices;
  for (const VertexSpec& v : c.node.vertices) {
    if (v.kind != VertexKind::storage) machine_vertices.push_back(v);
  }
  std::vector<LinkSpec> machine_links;
  for (const LinkSpec& l : c.node.links) {
    if (l.kind != LinkKind::storage) machine_links.push_back(l);
  }
  layout.vertices_per_machine = machine_vertices.size();
  layout.links_per_machine = machine_links.size();
  for (int m = 0; m < c.nodes; ++m) {
    for (VertexSpec v : machine_vertices) {
      v.name = machine_name(m, v.name);
      v.machine = m;
      out.vertices.push_back(std::move(v));
    }
  }
  for (int m = 0; m < c.nodes; ++m) {
    for (LinkSpec l : machine_links) {
      l.a = machine_name(m, l.a);
      l.b = machine_name(m, l.b);
      out.links.push_back(std::move(l));
    }
  }
  // NICs, machine-major, then their PCIe links, then their network links.
  for (int m = 0; m < c.nodes; ++m) {
    for (int r = 0; r < net.nics_per_node; ++r) {
      out.vertices.push_back({machine_name(m, "nic" + std::to_string(r)), VertexKind::nic, "", 0, 0, 0, net.where, m});
    }
  }
  for (int m = 0; m < c.nodes; ++m) {
    for (int r = 0; r < net.nics_per_node; ++r) {
      const int first = static_cast<int>(std::find(layout.rail_of_gpu.begin(), layout.rail_of_gpu.end(), r) - layout.rail_of_gpu.begin());
      const std::string& gpu = gpus[static_cast<std::size_t>(first)];
      const LinkSpec& parent = pcie_parent_link(c.node, gpu);
      LinkSpec l;
      l.a = machine_name(m, parent.a == gpu ? parent.b : parent.a);
      l.b = machine_name(m, "nic" + std::to_string(r));
      l.kind = LinkKind::pcie;
      l.gbps_per_direction = parent.gbps_per_direction;  // the NIC sits in a slot like the GPU's
      l.where = net.where;
      out.links.push_back(l);
    }
  }
  const FabricOverride fabric = fabric_override(net.fabric);
  const double nic_gbps = net.nic_gbits / 8.0;  // GB/s per direction
  const auto network_link = [&](std::string a, std::string b, double gbps) {
    LinkSpec l;
    l.a = std::move(a);
    l.b = std::move(b);
    l.kind = LinkKind::network;
    l.gbps_per_direction = gbps;
    l.efficiency = fabric.efficiency;
    l.latency_us = fabric.latency_us.value_or(0.0);
    l.where = net.where;
    return l;
  };
  const bool rails = net.topology == NetworkTopology::rail_optimized;
  for (int m = 0; m < c.nodes; ++m) {
    for (int r = 0; r < net.nics_per_node; ++r) {
      out.links.push_back(network_link(machine_name(m, "nic" + std::to_string(r)), rails ? "leaf" + std::to_string(r) : "switch", nic_gbps));
    }
  }
  if (rails) {
    for (int r = 0; r < net.nics_per_node; ++r) {
      out.vertices.push_back({"leaf" + std::to_string(r), VertexKind::net_switch, "", 0, 0, 0, net.where, -1});
    }
    if (net.nics_per_node > 1) {
      out.vertices.push_back({"spine", VertexKind::net_switch, "", 0, 0, 0, net.where, -1});
      // One trunk per leaf stands for its uplinks to the spine switches.
      for (int r = 0; r < net.nics_per_node; ++r) {
        out.links.push_back(network_link("leaf" + std::to_string(r), "spine", nic_gbps * c.nodes / net.oversubscription));
      }
    }
  } else {
    out.vertices.push_back({"switch", VertexKind::net_switch, "", 0, 0, 0, net.where, -1});
  }
  out.cluster = layout;
  return out;
}

NodeSpec first_machine(const NodeSpec& spec) {
  if (!spec.cluster) return spec;
  NodeSpec out = spec;
  out.cluster.reset();
  out.vertices.clear();
  out.links.clear();
  std::vector<std::string> kept;
  for (const VertexSpec& v : spec.vertices) {
    if (v.machine == 0 && v.kind != VertexKind::nic) {
      out.vertices.push_back(v);
      kept.push_back(v.name);
    }
  }
  const auto has = [&](const std::string& name) { return std::find(kept.begin(), kept.end(), name) != kept.end(); };
  for (const LinkSpec& l : spec.links) {
    if (has(l.a) && has(l.b)) out.links.push_back(l);
  }
  return out;
}

}  // namespace trainsim
