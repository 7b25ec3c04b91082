// A node as plain data: the full form of a node file (vertices and links) and the compact form
// that expands to it. io fills these from YAML or from `nvidia-smi topo -m` text; Topology::build
// checks them and turns them into a graph.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/util/error.hpp"

namespace trainsim {

// host: one CPU socket, its cores (data-loader workers run there) and its DRAM, which is the
// endpoint of host-to-device copies and the staging buffer when GPUs have no peer-to-peer path.
// net_switch: a switch of the network between the machines of a cluster (InfiniBand or Ethernet).
enum class VertexKind { gpu, pcie_switch, root_complex, host, nvswitch, nvlink_bridge, nic, storage, net_switch };

[[nodiscard]] std::string_view to_string(VertexKind k);
[[nodiscard]] std::optional<VertexKind> parse_vertex_kind(std::string_view s);
[[nodiscard]] const std::vector<std::string>& vertex_kind_names();
[[nodiscard]] std::optional<LinkKind> parse_link_kind(std::string_view s);
[[nodiscard]] const std::vector<std::string>& link_kind_names();

struct VertexSpec {
  std::string name;
  VertexKind kind = VertexKind::gpu;
  std::string gpu;     // catalog name, GPUs only
  int socket = 0;      // NUMA node
  int cores = 0;       // hosts only: CPU cores for data loading
  double memory_gbps = 0;  // hosts only: DRAM bandwidth (the host_memory link carries it)
  SourceLocation where;
  int machine = 0;     // the machine of a cluster the vertex belongs to (-1: the network between them)
};

struct LinkSpec {
  std::string a;
  std::string b;
  LinkKind kind = LinkKind::pcie;
  double gbps_per_direction = 0;  // line rate, one direction (shared links: both together)
  double latency_us = 0;          // 0: the catalog's default for the kind
  bool shared = false;            // one capacity for both directions (DRAM), not split-duplex
  int nvlinks = 0;                // NVLink links bonded in this edge (the NV# of nvidia-smi)
  std::optional<double> efficiency;  // overrides the catalog's protocol efficiency for the kind
  SourceLocation where;
};

struct StorageSpec {
  double read_gbps = 3.5;  // a PCIe Gen4 x4 NVMe SSD, sequential read
};

enum class Interconnect { pcie, nvlink_pairs, nvlink_mesh, nvswitch };

[[nodiscard]] std::string_view to_string(Interconnect i);
[[nodiscard]] std::optional<Interconnect> parse_interconnect(std::string_view s);
[[nodiscard]] const std::vector<std::string>& interconnect_names();

struct CompactNodeSpec {
  std::string gpu;
  int count = 1;
  Interconnect interconnect = Interconnect::pcie;
  std::optional<int> pcie_gen;
  std::optional<bool> p2p;
  std::optional<int> cpu_cores;
  std::optional<int> sockets;
  std::optional<double> host_memory_gbps;
  std::optional<double> cpu_per_core_speed;  // relative to the core that measured platforms/dataloader.yaml
  std::string cpu_speed_source;
  std::optional<double> nvlink_gbps;  // override of the per-pair (pairs, mesh) or per-GPU (switch) GB/s
  std::optional<double> pcie_gbps;    // override of the per-GPU PCIe GB/s per direction
  StorageSpec storage;
  SourceLocation where;               // of the node (for messages)
  SourceLocation gpu_where, count_where, interconnect_where;
};

// How a cluster's spec is laid out (sim/topo/cluster.cpp writes it): `machines` copies of one
// machine's vertices and links, in order, then the NICs (machine-major), then the network switches;
// links likewise: the machines' links, each NIC's PCIe link, each NIC's network link, then the
// switch-to-switch links. Topology uses it to route between machines without searching the graph.
struct ClusterLayout {
  int machines = 1;
  std::size_t vertices_per_machine = 0;
  std::size_t links_per_machine = 0;
  int gpus_per_machine = 0;
  int nics_per_machine = 0;
  bool gpudirect = true;            // false: NIC traffic is staged through host memory
  std::vector<int> rail_of_gpu;     // machine-local GPU -> machine-local NIC
};

struct NodeSpec {
  std::string name;
  std::string description;
  std::vector<VertexSpec> vertices;
  std::vector<LinkSpec> links;
  bool p2p = true;  // PCIe peer-to-peer between GPUs (false: staged through host memory)
  StorageSpec storage;
  // A host core's speed relative to the core that measured platforms/dataloader.yaml (every
  // socket's), and where that figure comes from.
  double cpu_per_core_speed = 1.0;
  std::string cpu_speed_source;
  SourceLocation where;
  std::optional<ClusterLayout> cluster;  // set by expand_cluster (sim/topo/cluster.hpp)
};

// Expands the compact form to the full graph description. Throws InputError on impossible
// hardware (more than 8 GPUs, NVLink on a GPU without it, ...).
[[nodiscard]] NodeSpec expand(const CompactNodeSpec& compact, const Catalog& catalog, std::string name = {});

}  // namespace trainsim
