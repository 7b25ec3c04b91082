// Nodes from `nvidia-smi topo -m` text: the real samples, and mangled text.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/import/nvidia_smi.hpp"
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

TEST_CASE("the 8x H100 sample: NV18 to every peer means an NVSwitch - two NUMA nodes") {
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
  SECTION("the NUMA column disagrees with a PCIe cell") {
    const auto m = error_of("\tGPU0\tGPU1\tCPU Affinity\tNUMA Affinity\nGPU0\t X \tPHB\t0-7\t0\nGPU1\tPHB\t X \t8-15\t1\n");
    CHECK(m.find("NUMA column") != std::string::npos);
  }
  SECTION("affinity values that line up under no column") {
    const auto m = error_of("        GPU0    GPU1    CPU Affinity    NUMA Affinity   GPU NUMA ID\n"
                            "GPU0     X      PHB                     0 1\n"
                            "GPU1    PHB      X      0-7             0               N/A\n");
    CHECK(m.find("topo.txt:2:") == 0);
    CHECK(m.find("do not line up") != std::string::npos);
  }
}

namespace {

std::string real(const std::string& name) { return sample("real/" + name); }

std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("real nvidia-smi texts from public issues parse, and their CRLF forms alike") {
  struct Case {
    const char* file;
    const char* gpu;
    int gpus, nics;
  };
  const Case cases[] = {
      {"8x-rtx4090-nic-columns.txt", "rtx4090", 8, 2},        {"2x-geforce-phb-legend-p2p.txt", "rtx4090", 2, 0},
      {"2x-node-indented-spaces.txt", "rtx3090", 2, 0},       {"5x-geforce-sys-phb-node-spaces.txt", "rtx4090", 5, 0},
      {"4x-rtx6000ada-4nic-nic-legend.txt", "rtx4090", 4, 4}, {"1x-tesla-p4-na.txt", "rtx4090", 1, 0},
      {"2x-p100-soc-old-driver.txt", "a100-pcie-40gb", 2, 0}, {"4x-a100-nv12-pairs-mlx5.txt", "a100-pcie-80gb", 4, 2},
      {"4x-h100-nv6-4nic-spaces.txt", "h100-sxm5-80gb", 4, 4}, {"4x-gb200-nv18-spaces.txt", "b200", 4, 0},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    for (const std::string& text : {real(c.file), crlf(real(c.file))}) {
      const NodeSpec spec = io::parse_nvidia_smi_topo(text, c.file, c.gpu, io::default_catalog());
      const Topology t = Topology::build(spec, io::default_catalog());
      CHECK(t.gpu_count() == c.gpus);
      const auto nics = std::count_if(spec.vertices.begin(), spec.vertices.end(),
                                      [](const VertexSpec& v) { return v.kind == VertexKind::nic; });
      CHECK(nics == c.nics);
    }
  }
}

TEST_CASE("what the real texts say: SOC, device-named NICs, NV pairs, NUMA nodes, spaces") {
  const auto topo = [](const std::string& file, const std::string& gpu) {
    return Topology::build(io::parse_nvidia_smi_topo(real(file), file, gpu, io::default_catalog()), io::default_catalog());
  };
  SECTION("SOC is SYS: two sockets of 6 CPUs") {
    const Topology t = topo("2x-p100-soc-old-driver.txt", "a100-pcie-40gb");
    CHECK(t.gpu_path(0, 1).label() == "SYS");
    CHECK(t.hosts().size() == 2);
    CHECK(t.vertex(t.hosts()[0]).cores == 6);
  }
  SECTION("an NV12 bridge pair beside mlx5 NICs (the text shows GPU2/GPU3 as NODE)") {
    const Topology t = topo("4x-a100-nv12-pairs-mlx5.txt", "a100-pcie-80gb");
    CHECK(t.gpu_path(0, 1).label() == "NV12");
    CHECK(t.gpu_path(2, 3).label() == "NODE");
    CHECK(t.gpu_path(0, 2).label() == "SYS");
    CHECK(t.hosts().size() == 2);
  }
  SECTION("indented, space-separated: NODE inside one socket of 16 CPUs") {
    const Topology t = topo("2x-node-indented-spaces.txt", "rtx3090");
    CHECK(t.hosts().size() == 1);
    CHECK(t.vertex(t.hosts()[0]).cores == 16);
  }
  SECTION("SYS between GPUs of one NUMA node: sockets of their own that share its 112 CPUs") {
    const Topology t = topo("8x-rtx4090-nic-columns.txt", "rtx4090");
    CHECK(t.hosts().size() == 8);
    int cores = 0;
    for (const auto h : t.hosts()) cores += t.vertex(h).cores;
    CHECK(cores == 2 * 112);
  }
  SECTION("an empty CPU Affinity in a space-separated row goes to no column but its own") {
    const std::string text =
        "        GPU0    GPU1    CPU Affinity    NUMA Affinity   GPU NUMA ID\n"
        "GPU0     X      NODE                    1               N/A\n"
        "GPU1    NODE     X      0-15            1               N/A\n";
    const NodeSpec spec = io::parse_nvidia_smi_topo(text, "topo.txt", "rtx3090", io::default_catalog());
    CHECK(Topology::build(spec, io::default_catalog()).hosts().size() == 1);
  }
}
