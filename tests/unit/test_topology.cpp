// Node topologies: compact expansion, paths as nvidia-smi names them, rings, and bad nodes.
#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/topo/platform.hpp"
#include "sim/topo/ring.hpp"

using namespace trainsim;

namespace {

Topology preset(const std::string& name) {
  return Topology::build(io::load_node(name, io::default_catalog()), io::default_catalog());
}

NodeSpec compact(const std::string& yaml) {
  return io::parse_node(io::YNode::parse(yaml, "node.yaml"), io::default_catalog(), "test");
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("every preset builds, and its GPUs reach one another") {
  for (const auto& name : io::preset_names()) {
    INFO(name);
    const Topology t = preset(name);
    REQUIRE(t.gpu_count() >= 1);
    for (int a = 0; a < t.gpu_count(); ++a) {
      for (int b = 0; b < t.gpu_count(); ++b) {
        if (a != b) CHECK(t.gpu_path(a, b).route.bottleneck_gbps > 0);
      }
      CHECK_FALSE(t.host_to_gpu(a).hops.empty());
    }
  }
}

TEST_CASE("GeForce without P2P: GPU-to-GPU traffic is staged through host memory") {
  const Topology t = preset("4x-rtx3090-pcie");
  const GpuPath& p = t.gpu_path(0, 1);
  CHECK(p.kind == PathKind::phb);
  CHECK(p.staged);
  CHECK(p.label() == "PHB/host");
  // GPU0 -> rc0 -> host0 (DRAM) -> rc0 -> GPU1: four hops, the DRAM link twice.
  CHECK(p.route.hops.size() == 4);
  // line rate: min(PCIe Gen4 x16 = 31.5, DRAM 204.8 / 2 crossings) = 31.5 GB/s
  CHECK(p.route.bottleneck_gbps == Approx(pcie_gbps_per_direction(4, 16)));
  // All four ring hops cross DRAM twice: 204.8 / 8 = 25.6 GB/s per hop at line rate.
  const Ring r = best_ring(t);
  CHECK(r.bottleneck_gbps == Approx(204.8 / 8));
}

TEST_CASE("NVLink pairs: NV4 inside a pair, staged PCIe between pairs") {
  const Topology t = preset("4x-rtx3090-nvlink-pairs");
  CHECK(t.gpu_path(0, 1).label() == "NV4");
  CHECK(t.gpu_path(0, 1).route.bottleneck_gbps == Approx(56.25));
  CHECK(t.gpu_path(1, 2).label() == "PHB/host");
  // The best ring crosses between the pairs twice; its slowest hop is PCIe (31.5 GB/s), not NVLink.
  const Ring r = best_ring(t);
  CHECK(r.bottleneck_gbps == Approx(pcie_gbps_per_direction(4, 16)));
  CHECK(r.order == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("NVSwitch: NV18 at 450 GB/s between every pair - 8-GPU boards have two sockets") {
  const Topology t = preset("8x-h100-sxm-nvswitch");
  CHECK(t.gpu_path(0, 7).label() == "NV18");
  CHECK(t.gpu_path(0, 7).route.bottleneck_gbps == Approx(450));
  CHECK(t.hosts().size() == 2);
  CHECK(best_ring(t).bottleneck_gbps == Approx(450));
  CHECK(best_ring(t).effective_gbps == Approx(450 * 0.82));  // NVLink4 protocol efficiency
}

TEST_CASE("NVLink mesh: links split evenly over the peers") {
  // H100 SXM has 18 links; 3 peers -> 6 links = 150 GB/s per pair and direction.
  const Topology t = preset("4x-h100-sxm-nvlink-mesh");
  CHECK(t.gpu_path(0, 3).label() == "NV6");
  CHECK(t.gpu_path(0, 3).route.bottleneck_gbps == Approx(150));
}

TEST_CASE("datacenter GPUs on PCIe use peer-to-peer through the root complex") {
  const Topology t = preset("4x-a100-pcie-nvlink-pairs");
  CHECK(t.gpu_path(1, 2).label() == "PHB");
  CHECK_FALSE(t.gpu_path(1, 2).staged);
  CHECK(t.gpu_path(1, 2).route.hops.size() == 2);
}

TEST_CASE("double binary tree as NCCL builds it") {
  // n = 4: tree 0 is 0 -> 2 -> {1, 3}; tree 1 mirrors it: 3 -> 1 -> {2, 0}.
  const auto [t0, t1] = double_binary_tree(4);
  CHECK(t0.root == 0);
  CHECK(t0.parent == std::vector<int>{-1, 2, 0, 2});
  CHECK(t1.root == 3);
  CHECK(t1.parent == std::vector<int>{1, 3, 1, -1});
  CHECK(t0.depth() == 2);
  // n = 5 (odd): tree 1 is tree 0 shifted by one rank.
  const auto [u0, u1] = double_binary_tree(5);
  for (int r = 0; r < 5; ++r) {
    const int p0 = u0.parent[static_cast<std::size_t>(r)];
    const int p1 = u1.parent[static_cast<std::size_t>((r + 1) % 5)];
    CHECK(p1 == (p0 < 0 ? -1 : (p0 + 1) % 5));
  }
}

TEST_CASE("the platform description has a route between every pair of GPUs, and host to GPU") {
  const Topology t = preset("8x-a100-sxm4-nvswitch");
  const PlatformDescription d = describe_platform(t);
  for (std::size_t a = 0; a < d.gpu_hosts.size(); ++a) {
    for (std::size_t b = 0; b < d.gpu_hosts.size(); ++b) {
      if (a != b) CHECK(d.route(d.gpu_hosts[a], d.gpu_hosts[b]) != nullptr);
    }
    CHECK(d.route(d.cpu_hosts[0], d.gpu_hosts[a]) != nullptr);
    CHECK(d.route(d.gpu_hosts[a], d.switch_hosts.at(0)) != nullptr);
  }
}

TEST_CASE("bad nodes: one clear error naming file, line, key and value") {
  SECTION("unknown GPU suggests the nearest names") {
    const auto m = error_of([] { (void)compact("gpu: h100-sxm\ncount: 4\n"); });
    CHECK(m.find("node.yaml:1:6") == 0);
    CHECK(m.find("'h100-sxm'") != std::string::npos);
    CHECK(m.find("did you mean") != std::string::npos);
  }
  SECTION("more than 8 GPUs in a compact node") {
    const auto m = error_of([] { (void)compact("gpu: h100-sxm5-80gb\ncount: 16\n"); });
    CHECK(m.find("node.yaml:2:8") == 0);
    CHECK(m.find("1 to 8 GPUs") != std::string::npos);
  }
  SECTION("an NVLink bridge on a GPU without NVLink") {
    const auto m = error_of([] { (void)compact("gpu: rtx4090\ncount: 2\ninterconnect: nvlink-pairs\n"); });
    CHECK(m.find("node.yaml:3:15") == 0);
    CHECK(m.find("rtx4090 has no NVLink") != std::string::npos);
  }
  SECTION("YAML syntax errors name the line") {
    const auto m = error_of([] { (void)compact("gpu: [rtx3090\ncount: 2\n"); });
    CHECK(m.find("node.yaml:") == 0);
    CHECK(m.find("valid YAML") != std::string::npos);
  }
  SECTION("unknown keys suggest the nearest") {
    const auto m = error_of([] { (void)compact("gpu: rtx3090\ncuont: 2\n"); });
    CHECK(m.find("node.yaml:2:1: key 'cuont'") == 0);
    CHECK(m.find("did you mean 'count'") != std::string::npos);
  }
  const std::string full_head =
      "vertices:\n"
      "  - {name: host0, kind: host, cores: 8, memory_gbps: 100}\n"
      "  - {name: rc0, kind: root_complex}\n"
      "  - {name: gpu0, kind: gpu, gpu: a100-sxm4-80gb}\n";
  SECTION("zero or negative bandwidth") {
    for (const char* bw : {"0", "-5"}) {
      const auto m = error_of([&] {
        (void)Topology::build(compact(full_head + "links:\n  - {a: rc0, b: host0, kind: host_memory, gbps: 100}\n"
                                                  "  - {a: gpu0, b: rc0, kind: pcie, gbps: " + bw + "}\n"),
                              io::default_catalog());
      });
      CHECK(m.find("node.yaml:7:") == 0);
      CHECK(m.find("bandwidth > 0") != std::string::npos);
    }
  }
  SECTION("a GPU that no link reaches") {
    const auto m = error_of([&] {
      (void)Topology::build(compact(full_head + "  - {name: gpu1, kind: gpu, gpu: a100-sxm4-80gb}\nlinks:\n"
                                                "  - {a: rc0, b: host0, kind: host_memory, gbps: 100}\n"
                                                "  - {a: gpu0, b: rc0, kind: pcie, gbps: 31.5}\n"),
                            io::default_catalog());
    });
    CHECK(m.find("node.yaml:5:") == 0);
    CHECK(m.find("gpu1") != std::string::npos);
    CHECK(m.find("no link") != std::string::npos);
  }
  SECTION("duplicate vertex names") {
    const auto m = error_of([&] {
      (void)Topology::build(compact(full_head + "  - {name: gpu0, kind: gpu, gpu: a100-sxm4-80gb}\nlinks:\n"
                                                "  - {a: rc0, b: host0, kind: host_memory, gbps: 100}\n"
                                                "  - {a: gpu0, b: rc0, kind: pcie, gbps: 31.5}\n"),
                            io::default_catalog());
    });
    CHECK(m.find("node.yaml:5:") == 0);
    CHECK(m.find("duplicate name") != std::string::npos);
  }
  SECTION("an NVLink link on a GPU without NVLink (full form)") {
    const auto m = error_of([&] {
      (void)Topology::build(compact("vertices:\n  - {name: host0, kind: host, cores: 8, memory_gbps: 100}\n"
                                    "  - {name: rc0, kind: root_complex}\n"
                                    "  - {name: g0, kind: gpu, gpu: rtx4090}\n  - {name: g1, kind: gpu, gpu: rtx4090}\n"
                                    "links:\n  - {a: rc0, b: host0, kind: host_memory, gbps: 100}\n"
                                    "  - {a: g0, b: rc0, kind: pcie, gbps: 31.5}\n  - {a: g1, b: rc0, kind: pcie, gbps: 31.5}\n"
                                    "  - {a: g0, b: g1, kind: nvlink, gbps: 50}\n"),
                            io::default_catalog());
    });
    CHECK(m.find("node.yaml:10:") == 0);
    CHECK(m.find("rtx4090 has no NVLink") != std::string::npos);
  }
  SECTION("a link to an unknown vertex") {
    const auto m = error_of([&] {
      (void)Topology::build(compact(full_head + "links:\n  - {a: rc0, b: host0, kind: host_memory, gbps: 100}\n"
                                                "  - {a: gpu0, b: rc1, kind: pcie, gbps: 31.5}\n"),
                            io::default_catalog());
    });
    CHECK(m.find("did you mean 'rc0'") != std::string::npos);
  }
}
