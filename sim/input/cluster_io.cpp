#include "sim/input/cluster_io.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/topo/cluster.hpp"

namespace trainsim::io {

namespace fs = std::filesystem;

std::vector<std::string> cluster_preset_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(data_dir()) / "platforms" / "clusters", ec)) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string cluster_preset_path(const std::string& name) {
  if (name.find('/') != std::string::npos || name.empty()) return {};
  const fs::path p = fs::path(data_dir()) / "platforms" / "clusters" / (name + ".yaml");
  std::error_code ec;
  return fs::is_regular_file(p, ec) ? p.string() : std::string{};
}

namespace {

NetworkSpec parse_network(const YNode& n) {
  n.expect_map("a map: nics_per_node, nic_gbps, fabric, gpudirect, topology, oversubscription");
  n.allow_only({"nics_per_node", "nic_gbps", "fabric", "gpudirect", "topology", "oversubscription"});
  NetworkSpec net;
  net.where = n.where();
  const YNode nics = n.require("nics_per_node", "NICs per node, 1 to 64");
  net.nics_where = nics.where();
  net.nics_per_node = static_cast<int>(nics.as_int(1, 64, "NICs per node, 1 to 64"));
  net.nic_gbits = n.require("nic_gbps", "a NIC line rate in Gb/s (10, 25, 100, 200, 400, ...)")
                      .as_double(1, 3200, "a NIC line rate in Gb/s, 1 to 3200 (bits: 400 for NDR)");
  if (const YNode f = n.get("fabric"); f.defined()) net.fabric = *parse_fabric(f.as_enum(fabric_names()));
  if (const YNode g = n.get("gpudirect"); g.defined()) {
    net.gpudirect_where = g.where();
    net.gpudirect = g.as_bool();
  } else {
    net.gpudirect = net.fabric != Fabric::ethernet;  // RDMA fabrics have it; TCP sockets cannot
  }
  if (net.fabric == Fabric::ethernet && net.gpudirect) {
    throw n.get("gpudirect").error("true", "gpudirect: false on fabric ethernet (NCCL's socket transport has no GPUDirect RDMA)");
  }
  if (const YNode t = n.get("topology"); t.defined()) {
    net.topology = *parse_network_topology(t.as_enum(network_topology_names()));
  }
  if (const YNode o = n.get("oversubscription"); o.defined()) {
    net.oversubscription = o.as_double(1, 64, "an oversubscription ratio from 1 (non-blocking) to 64");
  }
  return net;
}

}  // namespace

NodeSpec parse_cluster(const YNode& root, const Catalog& catalog, const std::string& name, const std::string& base_dir) {
  root.expect_map("a cluster file: a map with a 'cluster' key");
  root.allow_only({"name", "description", "source", "cluster"});
  const YNode c = root.require("cluster", "a map: nodes, node, network");
  c.expect_map("a map: nodes, node, network");
  c.allow_only({"nodes", "node", "network"});
  ClusterSpec spec;
  spec.where = root.where();
  spec.name = root.get("name").defined() ? root.get("name").as_string() : name;
  if (root.get("description").defined()) spec.description = root.get("description").as_string();
  const YNode nodes = c.require("nodes", "a node count, 1 to " + std::to_string(kMaxClusterNodes));
  spec.nodes_where = nodes.where();
  spec.nodes = static_cast<int>(nodes.as_int(1, kMaxClusterNodes, "a node count, 1 to " + std::to_string(kMaxClusterNodes)));
  const YNode node = c.require("node", "a node preset, a node file or an inline node");
  if (node.is_map()) {
    if (node.has("cluster")) throw node.error("a node (a cluster cannot be the node of a cluster)");
    spec.node = parse_node(node, catalog, spec.name + ".node");
  } else {
    std::string ref = node.as_string("a node preset, a node file or an inline node");
    std::error_code ec;
    if (!base_dir.empty() && fs::path(ref).is_relative() && fs::is_regular_file(fs::path(base_dir) / ref, ec)) {
      ref = (fs::path(base_dir) / ref).string();
    }
    if (!cluster_preset_path(ref).empty()) throw node.error(ref, "a node preset or node file (this is a cluster preset)");
    spec.node = load_node(ref, catalog, node.where(), node.path());
  }
  spec.network = parse_network(c.require("network", "a map: nics_per_node, nic_gbps, fabric, gpudirect, topology, oversubscription"));
  return expand_cluster(spec);
}

}  // namespace trainsim::io
