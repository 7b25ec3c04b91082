// Nodes from `nvidia-smi topo -m` text: the real samples, and mangled text.
#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/nvidia_smi.hpp"
#include "sim/input/yaml.hpp"
#include "sim/topo/ring.hpp"

using namespace trainsim;

namespace {

std::string sample(const std::string& name) {
  return io::read_text_file(std::string(TRAINSIM_SOURCE_DIR) + "/tests/data/nvidia-smi/" + name);
}

Topology from_text(const std::string& text, const std::string& gpu) {
  return Topology::build(io::parse_nvidia_smi_topo(text, "topo.txt", gpu, io::default_catalog()), io::default_catalog());
}

std::string error_of(const std::string& text, const std::string& gpu = "rtx3090") {
  try {
    (void)from_text(text, gpu);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string kHeader = "\tGPU0\tGPU1\tGPU2\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\n";

}  // namespace

TEST_CASE("the 2x RTX 3090 bridge sample: NV4 = 4 x 14.0625 GB/s") {
  const Topology t = from_text(sample("2x-rtx3090-nvlink-bridge.txt"), "rtx3090");
  CHECK(t.gpu_count() == 2);
  CHECK(t.gpu_path(0, 1).label() == "NV4");
  CHECK(t.gpu_path(0, 1).route.bottleneck_gbps == Approx(56.25));
  CHECK(t.vertex(t.hosts()[0]).cores == 24);  // CPU affinity 0-23
}

TEST_CASE("the 4x GeForce PHB sample: no P2P, staged through host memory") {
  const Topology t = from_text(sample("4x-geforce-pcie-phb.txt"), "rtx3090");
  CHECK(t.gpu_count() == 4);
  for (int b = 1; b < 4; ++b) CHECK(t.gpu_path(0, b).label() == "PHB/host");
}

TEST_CASE("the 8x H100 sample: NV18 to every peer means an NVSwitch; two NUMA nodes") {
  const Topology t = from_text(sample("8x-h100-sxm-nvswitch.txt"), "h100-sxm5-80gb");
  CHECK(t.gpu_count() == 8);
  CHECK(t.gpu_path(2, 6).label() == "NV18");
  CHECK(t.gpu_path(2, 6).route.bottleneck_gbps == Approx(450));
  CHECK(t.hosts().size() == 2);
  CHECK(best_ring(t).bottleneck_gbps == Approx(450));
}

TEST_CASE("a PIX/PXB/SYS matrix becomes a PCIe tree that reproduces every cell") {
  const std::string text =
      "\tGPU0\tGPU1\tGPU2\tGPU3\tCPU Affinity\tNUMA Affinity\n"
      "GPU0\t X \tPIX\tPXB\tSYS\t0-15\t0\n"
      "GPU1\tPIX\t X \tPXB\tSYS\t0-15\t0\n"
      "GPU2\tPXB\tPXB\t X \tSYS\t0-15\t0\n"
      "GPU3\tSYS\tSYS\tSYS\t X \t16-31\t1\n";
  const Topology t = from_text(text, "a100-pcie-80gb");
  CHECK(t.gpu_path(0, 1).label() == "PIX");
  CHECK(t.gpu_path(0, 2).label() == "PXB");
  CHECK(t.gpu_path(0, 3).label() == "SYS");
  // and the full form written out reads back to the same node
  const NodeSpec spec = io::parse_nvidia_smi_topo(text, "topo.txt", "a100-pcie-80gb", io::default_catalog());
  const NodeSpec back = io::parse_node(io::YNode::parse(io::node_to_yaml(spec), "node.yaml"), io::default_catalog(), "x");
  const Topology t2 = Topology::build(back, io::default_catalog());
  CHECK(t2.gpu_path(0, 2).label() == "PXB");
  CHECK(t2.links().size() == t.links().size());
}

TEST_CASE("mangled nvidia-smi text: a clear error naming the row and column") {
  SECTION("lost tabs") {
    const auto m = error_of("        GPU0    GPU1    CPU Affinity\nGPU0     X      PHB     0-7\nGPU1    PHB      X      0-7\n");
    CHECK(m.find("topo.txt:1:1") == 0);
    CHECK(m.find("tabs were lost") != std::string::npos);
  }
  SECTION("an unknown cell") {
    const auto m = error_of(kHeader + "GPU0\t X \tPHB\tPHX\t0-7\t0\t\nGPU1\tPHB\t X \tPHB\t0-7\t0\t\nGPU2\tPHX\tPHB\t X \t0-7\t0\t\n");
    CHECK(m.find("topo.txt:2:") == 0);
    CHECK(m.find("key 'GPU0/GPU2'") != std::string::npos);
    CHECK(m.find("'PHX'") != std::string::npos);
  }
  SECTION("a ragged row") {
    const auto m = error_of(kHeader + "GPU0\t X \tPHB\tPHB\t0-7\t0\t\nGPU1\tPHB\t X \nGPU2\tPHB\tPHB\t X \t0-7\t0\t\n");
    CHECK(m.find("topo.txt:3:") == 0);
    CHECK(m.find("ragged") != std::string::npos);
  }
  SECTION("not a square matrix") {
    const auto m = error_of(kHeader + "GPU0\t X \tPHB\tPHB\t0-7\t0\t\nGPU1\tPHB\t X \tPHB\t0-7\t0\t\n");
    CHECK(m.find("not a square matrix") != std::string::npos);
  }
  SECTION("not symmetric") {
    const auto m = error_of(kHeader + "GPU0\t X \tPHB\tPHB\t0-7\t0\t\nGPU1\tSYS\t X \tPHB\t0-7\t0\t\nGPU2\tPHB\tPHB\t X \t0-7\t0\t\n");
    CHECK(m.find("key 'GPU1/GPU0'") != std::string::npos);
    CHECK(m.find("symmetric") != std::string::npos);
  }
  SECTION("X off the diagonal") {
    const auto m = error_of(kHeader + "GPU0\t X \t X \tPHB\t0-7\t0\t\nGPU1\tPHB\t X \tPHB\t0-7\t0\t\nGPU2\tPHB\tPHB\t X \t0-7\t0\t\n");
    CHECK(m.find("key 'GPU0/GPU1'") != std::string::npos);
  }
  SECTION("NVLink cells on a GPU without NVLink") {
    const auto m = error_of("\tGPU0\tGPU1\tCPU Affinity\nGPU0\t X \tNV4\t0-7\nGPU1\tNV4\t X \t0-7\n", "rtx4090");
    CHECK(m.find("rtx4090 has no NVLink") != std::string::npos);
  }
  SECTION("more NVLinks than the GPU has") {
    const auto m = error_of("\tGPU0\tGPU1\tCPU Affinity\nGPU0\t X \tNV8\t0-7\nGPU1\tNV8\t X \t0-7\n", "rtx3090");
    CHECK(m.find("NV1 to NV4") != std::string::npos);
  }
  SECTION("cells that no PCIe tree gives") {
    // GPU0-GPU1 and GPU1-GPU2 share a switch (PIX) but GPU0-GPU2 would not: impossible.
    const auto m = error_of(kHeader + "GPU0\t X \tPIX\tPHB\t0-7\t0\t\nGPU1\tPIX\t X \tPIX\t0-7\t0\t\nGPU2\tPHB\tPIX\t X \t0-7\t0\t\n");
    CHECK(m.find("no PCIe tree") != std::string::npos);
  }
  SECTION("not nvidia-smi output at all") {
    const auto m = error_of("hello world\n");
    CHECK(m.find("topo.txt:1:1") == 0);
  }
  SECTION("the NUMA column disagrees with SYS") {
    const auto m = error_of("\tGPU0\tGPU1\tCPU Affinity\tNUMA Affinity\nGPU0\t X \tSYS\t0-7\t0\nGPU1\tSYS\t X \t0-7\t0\n");
    CHECK(m.find("NUMA column") != std::string::npos);
  }
}
