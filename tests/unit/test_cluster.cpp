// Clusters: N machines joined by NICs and a network, flattened into one topology. Each expected
// figure is worked out from the presets' data: NDR 400 Gb/s = 50 GB/s per direction, HDR 200 Gb/s
// = 25 GB/s, network protocol efficiency 0.90 (gpus.yaml, links.network), PCIe efficiency 0.80.
#include <catch2/catch.hpp>

#include <set>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/cluster_io.hpp"
#include "sim/topo/platform.hpp"
#include "sim/topo/ring.hpp"

using namespace trainsim;

namespace {

Topology load(const std::string& name) {
  return Topology::build(io::load_node(name, io::default_catalog()), io::default_catalog());
}

Topology parse(const std::string& yaml) {
  const auto spec = io::parse_node(io::YNode::parse(yaml, "cluster.yaml"), io::default_catalog(), "test");
  return Topology::build(spec, io::default_catalog());
}

std::string error_of(const std::string& yaml) {
  try {
    (void)parse(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

int links_of_kind(const Topology& t, const Route& r, LinkKind kind) {
  int n = 0;
  for (const Hop& h : r.hops) n += t.links()[h.link].kind == kind ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("every cluster preset builds - machines, NICs and paths between them") {
  const auto names = io::cluster_preset_names();
  CHECK(names.size() >= 8);
  for (const auto& name : names) {
    INFO(name);
    const Topology t = load(name);
    REQUIRE(t.machines() >= 2);
    const int g = t.cluster()->gpus_per_machine;
    CHECK(t.gpu_count() == g * t.machines());
    CHECK(t.machine_of(0) == 0);
    CHECK(t.machine_of(t.gpu_count() - 1) == t.machines() - 1);
    CHECK(t.gpu_path(0, g).kind == PathKind::net);
    CHECK(t.gpu_path(0, g).route.bottleneck_gbps > 0);
  }
}

TEST_CASE("2x DGX H100: a GPU reaches the same GPU of the other machine over its rail's NIC and leaf") {
  const Topology t = load("2x-dgx-h100");
  CHECK(t.gpu_count() == 16);
  const GpuPath& same_rail = t.gpu_path(3, 11);
  CHECK(same_rail.label() == "NET");
  // gpu3 -> pcisw1 -> nic3 -> leaf3 -> n1.nic3 -> n1.pcisw1 -> n1.gpu3: 6 hops, 2 of them network.
  CHECK(same_rail.route.hops.size() == 6);
  CHECK(links_of_kind(t, same_rail.route, LinkKind::network) == 2);
  // Line rate: min(PCIe Gen5 x16 63.0, NDR 400 Gb/s = 50) = 50 GB/s; effective 50 x 0.90 = 45.
  CHECK(same_rail.route.bottleneck_gbps == Approx(50.0));
  CHECK(same_rail.route.effective_gbps == Approx(45.0));
  // Another rail: through leaf3, the spine and leaf4 (two more network hops).
  const GpuPath& other_rail = t.gpu_path(3, 12);
  CHECK(links_of_kind(t, other_rail.route, LinkKind::network) == 4);
  // Inside machine 1 the paths are machine 0's.
  CHECK(t.gpu_path(9, 10).label() == t.gpu_path(1, 2).label());
  CHECK(t.gpu_path(9, 10).route.effective_gbps == Approx(t.gpu_path(1, 2).route.effective_gbps));
  // Each machine's GPUs have their own host.
  CHECK(t.host_of(0) != t.host_of(8));
  CHECK(t.vertex(t.host_of(8)).machine == 1);
}

TEST_CASE("a ring across machines: one channel per rail, each hop between machines on one rail") {
  const Topology t = load("2x-dgx-h100");
  const Ring r = best_ring(t);
  REQUIRE(r.channel_orders.size() == 8);
  std::set<int> exits;
  for (const auto& order : r.channel_orders) {
    CHECK(order.size() == 16);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const int a = order[i];
      const int b = order[(i + 1) % order.size()];
      if (t.machine_of(a) != t.machine_of(b)) {
        CHECK(a % 8 == b % 8);  // same local GPU, so the same rail
        if (t.machine_of(a) == 0) exits.insert(a);
      }
    }
  }
  CHECK(exits.size() == 8);  // every NIC carries one channel out of machine 0
  // Every NIC carries one flow per direction: 8 x 45 GB/s effective. The NVLink shares are wider:
  // 360 GB/s effective per GPU over the 7 channels that leave it over NVLink = 51.4 per flow.
  CHECK(r.effective_gbps == Approx(8 * 45.0));
  CHECK(r.bottleneck_gbps == Approx(8 * 50.0));
}

TEST_CASE("2x DGX A100: 8 HDR rails bound the ring at 8 x 22.5 GB/s") {
  const Topology t = load("2x-dgx-a100");
  const Ring r = best_ring(t);
  // NIC: 25 x 0.9 = 22.5; the NIC's PCIe Gen4 x16 slot: 31.5 x 0.8 = 25.2; NVLink 300 x 0.8 / 8 = 30.
  CHECK(r.effective_gbps == Approx(8 * 22.5));
}

TEST_CASE("without GPUDirect RDMA, traffic between machines is staged through host memory") {
  const Topology t = load("2x-4x-rtx3090-10gbe");
  const GpuPath& p = t.gpu_path(0, 4);
  CHECK(p.label() == "NET/host");
  CHECK(links_of_kind(t, p.route, LinkKind::host_memory) == 4);  // DRAM in and out, on each side
  // 10 Gb/s = 1.25 GB/s at TCP's 1448/1538 framing efficiency.
  CHECK(p.route.effective_gbps == Approx(1.25 * 1448.0 / 1538.0));
  const Topology direct = parse(R"(
cluster:
  nodes: 2
  node: 4x-rtx3090-pcie
  network: {nics_per_node: 1, nic_gbps: 100, fabric: roce, gpudirect: true}
)");
  CHECK(direct.gpu_path(0, 4).label() == "NET");
  CHECK(links_of_kind(direct, direct.gpu_path(0, 4).route, LinkKind::host_memory) == 0);
}

TEST_CASE("rail-optimised oversubscription narrows the leaf-to-spine trunks") {
  const Topology t = parse(R"(
cluster:
  nodes: 4
  node: 8x-h100-sxm-nvswitch
  network: {nics_per_node: 8, nic_gbps: 400, topology: rail-optimized, oversubscription: 4}
)");
  // Trunk of leaf 0: 4 nodes x 50 GB/s / 4 = 50 GB/s line rate.
  const GpuPath& p = t.gpu_path(0, 9);
  double narrowest = 1e9;
  for (const Hop& h : p.route.hops) {
    const TopoLink& l = t.links()[h.link];
    if (l.a.rfind("leaf", 0) == 0 && l.b == "spine") narrowest = std::min(narrowest, l.gbps_per_direction);
  }
  CHECK(narrowest == Approx(50.0));
}

TEST_CASE("the platform of a cluster routes between machines and keeps NVSwitch and hosts per machine") {
  const Topology t = load("2x-dgx-h100");
  const PlatformDescription d = describe_platform(t);
  CHECK(d.route(d.gpu_hosts[0], d.gpu_hosts[15]) != nullptr);
  CHECK(d.route(d.cpu_hosts[0], d.gpu_hosts[0]) != nullptr);
  CHECK(d.route(d.cpu_hosts[0], d.gpu_hosts[15]) == nullptr);  // a host feeds its own machine's GPUs
  CHECK(d.switch_hosts.size() == 2);
}

TEST_CASE("bad clusters are refused with the key and what was expected") {
  CHECK_THAT(error_of("cluster: {nodes: 2, node: 8x-h100-sxm-nvswitch, network: {nics_per_node: 9, nic_gbps: 400}}"),
             Catch::Contains("1 to 8 NICs"));
  CHECK_THAT(error_of("cluster: {nodes: 0, node: 1x-rtx3090, network: {nics_per_node: 1, nic_gbps: 10}}"),
             Catch::Contains("a node count, 1 to 256"));
  CHECK_THAT(error_of("cluster: {nodes: 2, node: 2x-dgx-h100, network: {nics_per_node: 1, nic_gbps: 10}}"),
             Catch::Contains("this is a cluster preset"));
  CHECK_THAT(error_of("cluster: {nodes: 2, node: 1x-rtx3090, network: {nics_per_node: 1, nic_gbps: 10, fabric: ethernet, gpudirect: true}}"),
             Catch::Contains("no GPUDirect RDMA"));
  CHECK_THAT(error_of("cluster: {nodes: 2, node: 1x-rtx3090, network: {nics_per_node: 1, nic_gbps: 10, topology: torus}}"),
             Catch::Contains("rail-optimized"));
  CHECK_THAT(error_of("cluster: {nodes: 2, node: 1x-rtx3090, network: {nics_per_node: 1}}"), Catch::Contains("nic_gbps"));
  CHECK_THAT(error_of("cluster: {nodes: 2, node: 1x-rtx3090, nics: 3, network: {nics_per_node: 1, nic_gbps: 10}}"),
             Catch::Contains("nics"));
}
