// A node as a Boost.Graph graph: vertices are GPUs, PCIe switches, root complexes, hosts (CPU
// socket + DRAM), NVSwitches, NVLink bridges, NICs and storage; edges are links with a kind, a
// line rate per direction, a latency and a protocol efficiency. Built from a NodeSpec and checked;
// routes between GPUs (NVLink first, then PCIe peer-to-peer, else staged through host memory) are
// computed once.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <string>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim {

struct TopoVertex {
  std::string name;
  VertexKind kind = VertexKind::gpu;
  std::string gpu;
  int socket = 0;
  int cores = 0;
  double memory_gbps = 0;
  SourceLocation where;
  double per_core_speed = 1.0;  // hosts: relative to the core the loader costs were measured on
  int machine = 0;  // in a cluster: the machine (-1: a network switch)
};

struct TopoLink {
  std::size_t index = 0;  // position in Topology::links()
  std::string a, b;       // endpoint names; "forward" is a -> b
  std::size_t va = 0, vb = 0;
  LinkKind kind = LinkKind::pcie;
  double gbps_per_direction = 0;  // line rate
  double efficiency = 1.0;        // protocol efficiency (catalog class or the node's override)
  double latency_us = 0;
  bool shared = false;
  int nvlinks = 0;
  SourceLocation where;

  [[nodiscard]] std::string name() const { return a + "--" + b; }
  [[nodiscard]] double effective_gbps() const { return gbps_per_direction * efficiency; }
};

struct Hop {
  std::size_t link = 0;
  bool forward = true;  // traversed a -> b
  bool operator==(const Hop&) const = default;
};

// The class of a GPU-to-GPU path, as `nvidia-smi topo -m` names it.
// net: between two machines of a cluster, through their NICs (NCCL's PATH_NET).
enum class PathKind { self, nvlink, pix, pxb, phb, node, sys, net };

[[nodiscard]] std::string_view to_string(PathKind k);

struct Route {
  std::vector<Hop> hops;
  double latency_us = 0;
  double bottleneck_gbps = 0;  // line rate of the narrowest link (a shared link crossed k times counts 1/k)
  double effective_gbps = 0;   // the same with protocol efficiencies
};

struct GpuPath {
  PathKind kind = PathKind::self;
  int nvlinks = 0;      // for kind nvlink: bonded links of the narrowest NVLink edge
  bool staged = false;  // no peer-to-peer: GPU -> host memory -> GPU
  Route route;

  // "X", "NV4", "PIX", "PHB", "PHB/host" (staged), ...
  [[nodiscard]] std::string label() const;
};

class Topology {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, TopoVertex, std::size_t>;

  // Checks the description and builds the graph. Throws InputError naming the vertex or link.
  [[nodiscard]] static Topology build(const NodeSpec& spec, const Catalog& catalog);

  [[nodiscard]] const NodeSpec& spec() const { return spec_; }
  [[nodiscard]] const std::string& name() const { return spec_.name; }
  [[nodiscard]] const Graph& graph() const { return graph_; }
  [[nodiscard]] const TopoVertex& vertex(std::size_t v) const { return graph_[v]; }
  [[nodiscard]] std::size_t vertex_count() const { return boost::num_vertices(graph_); }
  [[nodiscard]] const std::vector<TopoLink>& links() const { return links_; }

  [[nodiscard]] int gpu_count() const { return static_cast<int>(gpus_.size()); }
  [[nodiscard]] std::size_t gpu_vertex(int gpu) const { return gpus_.at(static_cast<std::size_t>(gpu)); }
  [[nodiscard]] const GpuSpec& gpu_spec(int gpu) const { return gpu_specs_.at(static_cast<std::size_t>(gpu)); }
  [[nodiscard]] const std::vector<std::size_t>& hosts() const { return hosts_; }
  // The host (socket) a GPU's data loader and host memory live on.
  [[nodiscard]] std::size_t host_of(int gpu) const;
  [[nodiscard]] std::size_t storage() const { return storage_; }  // or vertex_count() when absent
  [[nodiscard]] bool p2p() const { return spec_.p2p; }
  // NVLink SHARP efficiency of the node's NVSwitch for its GPUs (the lowest over its GPUs); 0 when
  // the node has no NVSwitch or a GPU generation without NVLS (before Hopper).
  [[nodiscard]] double nvls_efficiency() const { return nvls_efficiency_; }

  // Clusters (NodeSpec::cluster): machines, the machine of a GPU, the layout. A node is 1 machine.
  [[nodiscard]] int machines() const { return spec_.cluster ? spec_.cluster->machines : 1; }
  [[nodiscard]] int machine_of(int gpu) const { return graph_[gpu_vertex(gpu)].machine; }
  [[nodiscard]] const std::optional<ClusterLayout>& cluster() const { return spec_.cluster; }

  [[nodiscard]] const GpuPath& gpu_path(int from, int to) const;
  // Host memory of the GPU's socket to the GPU (host-to-device copies), or the reverse.
  [[nodiscard]] Route host_to_gpu(int gpu) const;
  [[nodiscard]] Route gpu_to_host(int gpu) const;
  // Storage to the host of socket 0's DRAM. Empty when the node has no storage vertex.
  [[nodiscard]] Route storage_to_host(std::size_t host) const;
  // A route between two vertices over PCIe-class links (PCIe, SMP, host memory, storage).
  [[nodiscard]] Route route(std::size_t from, std::size_t to) const;
  // A route over NVLink and NVSwitch links only (empty when there is none).
  [[nodiscard]] Route nvlink_route(std::size_t from, std::size_t to) const;

 private:
  [[nodiscard]] Route make_route(std::vector<Hop> hops) const;
  [[nodiscard]] GpuPath classify(int from, int to) const;
  void build_cluster_paths();
  void check_cluster_layout() const;
  [[nodiscard]] InputError layout_error(const std::string& why) const;

  NodeSpec spec_;
  Graph graph_;
  std::vector<TopoLink> links_;
  std::vector<std::size_t> gpus_;
  std::vector<GpuSpec> gpu_specs_;
  std::vector<std::size_t> hosts_;
  std::size_t storage_ = 0;
  double nvls_efficiency_ = 0;
  std::vector<std::vector<GpuPath>> paths_;
};

}  // namespace trainsim
