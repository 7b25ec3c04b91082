// The validation layer: the node of each reference row comes from its own GPU, count and source.
#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"
#include "sim/validation/row_node.hpp"
#include "sim/validation/scaling.hpp"

using namespace trainsim;

namespace {

io::ThroughputRow row(const std::string& source, const std::string& gpu, int gpus, int line = 7) {
  io::ThroughputRow r;
  r.source = source;
  r.model = "resnet50";
  r.gpu = gpu;
  r.gpus = gpus;
  r.image_px = 224;
  r.batch_per_gpu = 64;
  r.images_per_s = 1000;
  r.data = source == "dle" ? "real" : "synthetic";
  r.where = {"training-throughput.csv", line, 1};
  return r;
}

std::vector<std::string> gpus_of(const NodeSpec& node) {
  std::vector<std::string> out;
  for (const auto& v : node.vertices) {
    if (v.kind == VertexKind::gpu) out.push_back(v.gpu);
  }
  return out;
}

}  // namespace

TEST_CASE("a DLE row runs on the DGX of its board, with its own GPU in every slot") {
  const Catalog& catalog = io::default_catalog();
  SECTION("V100 SXM2 16GB: the DGX-1 preset as it is, 8 loader workers per GPU") {
    const auto n = validation::node_for(row("dle", "v100-sxm2-16gb", 8), catalog);
    CHECK(n.node.name == "8x-v100-sxm2-dgx1");
    CHECK(n.workers_per_gpu == 8);
  }
  SECTION("V100 SXM2 32GB: the DGX-1 with 32 GB parts, not A100s") {
    const auto n = validation::node_for(row("dle", "v100-sxm2-32gb", 8), catalog);
    CHECK(n.node.name == "8x-v100-sxm2-dgx1-with-v100-sxm2-32gb");
    CHECK(gpus_of(n.node) == std::vector<std::string>(8, "v100-sxm2-32gb"));
    CHECK(n.workers_per_gpu == 8);
  }
  SECTION("A100 SXM4 40GB: the DGX A100 with 40 GB parts, 10 workers per GPU") {
    const auto n = validation::node_for(row("dle", "a100-sxm4-40gb", 8), catalog);
    CHECK(gpus_of(n.node) == std::vector<std::string>(8, "a100-sxm4-40gb"));
    CHECK(n.workers_per_gpu == 10);
  }
  SECTION("another count: a compact node of the row's GPU, the system's workers") {
    const auto n = validation::node_for(row("dle", "v100-sxm2-32gb", 4), catalog);
    CHECK(gpus_of(n.node) == std::vector<std::string>(4, "v100-sxm2-32gb"));
    CHECK(n.workers_per_gpu == 8);
  }
  SECTION("a GPU that is no DGX's board: a compact node of its own") {
    const auto n = validation::node_for(row("dle", "h100-sxm5-80gb", 8), catalog);
    CHECK(n.node.name == "h100-sxm5-80gb-x8");
    CHECK(gpus_of(n.node) == std::vector<std::string>(8, "h100-sxm5-80gb"));
  }
}

TEST_CASE("other sources run on compact nodes of their GPU and count") {
  const auto n = validation::node_for(row("lambda", "h200-sxm-141gb", 2), io::default_catalog());
  CHECK(n.node.name == "h200-sxm-141gb-x2");
  CHECK(gpus_of(n.node) == std::vector<std::string>(2, "h200-sxm-141gb"));
  const Scenario s = validation::scenario_for(row("lambda", "rtx4090", 2), io::default_catalog());
  CHECK(gpus_of(s.platform) == std::vector<std::string>(2, "rtx4090"));
  CHECK(s.workload.dataset.images == validation::kImagenetImages);
}

TEST_CASE("a row whose GPU is not in the catalog is an error naming the row") {
  try {
    (void)validation::node_for(row("dle", "v100-pcie-32gb", 8, 12), io::default_catalog());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("training-throughput.csv:12:") == 0);
    CHECK(std::string(e.what()).find("v100-pcie-32gb") != std::string::npos);
  }
  CHECK_THROWS_AS(validation::check_gpus({row("lambda", "rtx3090", 1), row("lambda", "gtx1080", 1, 9)}, io::default_catalog()),
                  InputError);
}
