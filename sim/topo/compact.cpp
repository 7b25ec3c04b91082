// Expansion of the compact node form into vertices and links.
//
// Layout: one host (cores + DRAM) and one PCIe root complex per socket; GPUs split evenly over
// the sockets. Up to four GPUs per socket hang off their own root port; 8-GPU NVSwitch baseboards
// put two GPUs behind each PCIe switch, as DGX A100/H100 do. NVLink edges follow the interconnect.
#include <algorithm>
#include <cmath>

#include "sim/topo/node_spec.hpp"

namespace trainsim {

namespace {

constexpr int kMaxCompactGpus = 8;
// Defaults when the compact form does not say (docs/platforms.md lists them).
constexpr double kDefaultHostMemoryGbps = 102.4;  // one socket, 4 channels of DDR4-3200
constexpr double kDefaultSmpGbps = 62.4;          // 3 UPI links at 10.4 GT/s x 2 bytes, one direction
constexpr int kDefaultCoresPerGpu = 8;

std::string gpu_name(int i) { return "gpu" + std::to_string(i); }

LinkSpec make_link(std::string a, std::string b, LinkKind kind, double gbps, const SourceLocation& where) {
  LinkSpec l;
  l.a = std::move(a);
  l.b = std::move(b);
  l.kind = kind;
  l.gbps_per_direction = gbps;
  l.where = where;
  return l;
}

void check_nvlink(const CompactNodeSpec& c, const GpuSpec& gpu) {
  if (gpu.nvlink.gbps_per_direction <= 0) {
    throw InputError(c.interconnect_where, "interconnect", std::string(to_string(c.interconnect)),
                     "pcie: " + gpu.name + " has no NVLink (no bridge, no SXM links)");
  }
}

void add_nvlink_pairs(const CompactNodeSpec& c, const GpuSpec& gpu, NodeSpec& node) {
  check_nvlink(c, gpu);
  if (c.count % 2 != 0) {
    throw InputError(c.count_where, "count", std::to_string(c.count),
                     "an even number of GPUs for interconnect nvlink-pairs");
  }
  const double gbps = c.nvlink_gbps.value_or(gpu.nvlink.gbps_per_direction);
  for (int p = 0; p < c.count / 2; ++p) {
    const std::string a = gpu_name(2 * p);
    const std::string b = gpu_name(2 * p + 1);
    if (gpu.nvlink.bridge) {
      // A bridge is a passive vertex between the two cards; each half carries the full rate.
      const std::string bridge = "nvbridge" + std::to_string(p);
      node.vertices.push_back({bridge, VertexKind::nvlink_bridge, "", 0, 0, 0, c.where});
      for (const auto& g : {a, b}) {
        auto l = make_link(g, bridge, LinkKind::nvlink, gbps, c.where);
        l.nvlinks = gpu.nvlink.links;
        node.links.push_back(l);
      }
    } else {
      auto l = make_link(a, b, LinkKind::nvlink, gbps, c.where);
      l.nvlinks = gpu.nvlink.links;
      node.links.push_back(l);
    }
  }
}

void add_nvlink_mesh(const CompactNodeSpec& c, const GpuSpec& gpu, NodeSpec& node) {
  check_nvlink(c, gpu);
  if (gpu.nvlink.bridge) {
    throw InputError(c.interconnect_where, "interconnect", "nvlink-mesh",
                     "nvlink-pairs or pcie: " + gpu.name + " connects to one peer through a bridge, not a mesh");
  }
  const int peers = c.count - 1;
  if (peers < 1) return;
  const int links_per_peer = gpu.nvlink.links / peers;
  if (links_per_peer < 1) {
    throw InputError(c.count_where, "count", std::to_string(c.count),
                     "at most " + std::to_string(gpu.nvlink.links + 1) + " GPUs in an NVLink mesh of " + gpu.name);
  }
  const double gbps = c.nvlink_gbps.value_or(gpu.nvlink.gbps_per_link() * links_per_peer);
  for (int i = 0; i < c.count; ++i) {
    for (int j = i + 1; j < c.count; ++j) {
      auto l = make_link(gpu_name(i), gpu_name(j), LinkKind::nvlink, gbps, c.where);
      l.nvlinks = links_per_peer;
      node.links.push_back(l);
    }
  }
}

void add_nvswitch(const CompactNodeSpec& c, const GpuSpec& gpu, NodeSpec& node) {
  check_nvlink(c, gpu);
  if (gpu.nvlink.bridge) {
    throw InputError(c.interconnect_where, "interconnect", "nvswitch",
                     "nvlink-pairs or pcie: " + gpu.name + " has bridge NVLink only, no NVSwitch baseboard");
  }
  node.vertices.push_back({"nvswitch0", VertexKind::nvswitch, "", 0, 0, 0, c.where});
  const double gbps = c.nvlink_gbps.value_or(gpu.nvlink.gbps_per_direction);
  for (int i = 0; i < c.count; ++i) {
    auto l = make_link(gpu_name(i), "nvswitch0", LinkKind::nvswitch, gbps, c.where);
    l.nvlinks = gpu.nvlink.links;
    node.links.push_back(l);
  }
}

}  // namespace

NodeSpec expand(const CompactNodeSpec& c, const Catalog& catalog, std::string name) {
  const GpuSpec& gpu = catalog.gpu(c.gpu, c.gpu_where, "gpu");
  if (c.count < 1 || c.count > kMaxCompactGpus) {
    throw InputError(c.count_where, "count", std::to_string(c.count),
                     "1 to 8 GPUs in a compact node (write the full form for larger nodes)");
  }
  NodeSpec node;
  node.name = std::move(name);
  node.where = c.where;
  node.storage = c.storage;
  node.p2p = c.p2p.value_or(gpu.peer_to_peer);

  const int sockets = c.sockets.value_or(c.count > 4 && c.interconnect == Interconnect::nvswitch ? 2 : 1);
  if (sockets < 1 || sockets > 8 || c.count % sockets != 0) {
    throw InputError(c.where, "cpu.sockets", std::to_string(sockets),
                     "1 to 8 sockets that divide the GPU count evenly");
  }
  const int gpus_per_socket = c.count / sockets;
  const int cores = c.cpu_cores.value_or(kDefaultCoresPerGpu * c.count);
  if (cores < 1) throw InputError(c.where, "cpu.cores", std::to_string(cores), "at least 1 core");
  const double mem = c.host_memory_gbps.value_or(kDefaultHostMemoryGbps);
  const int gen = c.pcie_gen.value_or(gpu.pcie.gen);
  const double pcie = c.pcie_gbps.value_or(pcie_gbps_per_direction(gen, gpu.pcie.lanes));
  if (pcie <= 0) {
    throw InputError(c.where, "pcie.gen", std::to_string(gen), "a PCIe generation from 1 to 6");
  }

  node.cpu_per_core_speed = c.cpu_per_core_speed.value_or(1.0);
  node.cpu_speed_source = c.cpu_speed_source;
  for (int s = 0; s < sockets; ++s) {
    const std::string host = "host" + std::to_string(s);
    const std::string rc = "rc" + std::to_string(s);
    VertexSpec h{host, VertexKind::host, "", s, cores / sockets + (s < cores % sockets ? 1 : 0), mem / sockets, c.where};
    node.vertices.push_back(h);
    node.vertices.push_back({rc, VertexKind::root_complex, "", s, 0, 0, c.where});
    auto dram = make_link(rc, host, LinkKind::host_memory, mem / sockets, c.where);
    dram.shared = true;
    node.links.push_back(dram);
    if (s > 0) node.links.push_back(make_link("rc0", rc, LinkKind::smp, kDefaultSmpGbps, c.where));
  }
  node.vertices.push_back({"nvme0", VertexKind::storage, "", 0, 0, 0, c.where});
  node.links.push_back(make_link("rc0", "nvme0", LinkKind::storage, c.storage.read_gbps, c.where));

  const bool switches = c.count == 8 && c.interconnect == Interconnect::nvswitch;
  for (int i = 0; i < c.count; ++i) {
    const int s = i / gpus_per_socket;
    const std::string rc = "rc" + std::to_string(s);
    node.vertices.push_back({gpu_name(i), VertexKind::gpu, gpu.name, s, 0, 0, c.gpu_where});
    if (switches) {
      const std::string sw = "pcisw" + std::to_string(i / 2);
      if (i % 2 == 0) {
        node.vertices.push_back({sw, VertexKind::pcie_switch, "", s, 0, 0, c.where});
        node.links.push_back(make_link(sw, rc, LinkKind::pcie, pcie, c.where));
      }
      node.links.push_back(make_link(gpu_name(i), sw, LinkKind::pcie, pcie, c.where));
    } else {
      node.links.push_back(make_link(gpu_name(i), rc, LinkKind::pcie, pcie, c.where));
    }
  }

  switch (c.interconnect) {
    case Interconnect::pcie: break;
    case Interconnect::nvlink_pairs: add_nvlink_pairs(c, gpu, node); break;
    case Interconnect::nvlink_mesh: add_nvlink_mesh(c, gpu, node); break;
    case Interconnect::nvswitch: add_nvswitch(c, gpu, node); break;
  }
  return node;
}

}  // namespace trainsim
