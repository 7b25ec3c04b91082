// The data side of collectives: NVLS efficiency in the catalog, the CSV reader of the reference
// measurements, equal sharing of links among concurrent flows, and the byte split of transfers.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/engine/coll_planner.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/csv.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/reference_io.hpp"
#include "sim/topo/sharing.hpp"

using namespace trainsim;

TEST_CASE("NVLS efficiency is catalog data per GPU generation, on the nvswitch link class only") {
  const Catalog& c = io::default_catalog();
  const LinkClass& sw = c.link_class(LinkKind::nvswitch);
  CHECK(sw.nvls_efficiency_of("hopper") == Approx(0.85));
  CHECK(sw.nvls_efficiency_of("blackwell") == Approx(0.74));
  CHECK(sw.nvls_efficiency_of("ampere") == 0.0);  // no NVLS before Hopper
  CHECK(sw.source.find("nvlsEfficiency") != std::string::npos);

  // A catalog that puts it elsewhere, or names an unknown generation, is refused where it is read.
  std::ifstream in(c.file);
  std::stringstream text;
  text << in.rdbuf();
  std::string bad = text.str();
  bad.replace(bad.find("{hopper: 0.85"), 13, "{hoper: 0.85");
  try {
    (void)io::parse_catalog(bad, "bad.yaml");
    FAIL("accepted an unknown generation");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("did you mean 'hopper'") != std::string::npos);
  }
}

TEST_CASE("a node's NVLS efficiency comes from its GPUs' generation") {
  const Catalog& c = io::default_catalog();
  const auto topo = [&](const std::string& preset) { return Topology::build(io::load_node(preset, c), c); };
  CHECK(topo("8x-h100-sxm-nvswitch").nvls_efficiency() == Approx(0.85));
  CHECK(topo("8x-b200-nvswitch").nvls_efficiency() == Approx(0.74));
  CHECK(topo("8x-a100-sxm4-nvswitch").nvls_efficiency() == 0.0);
  CHECK(topo("4x-h100-sxm-nvlink-mesh").nvls_efficiency() == 0.0);  // no switch
}

TEST_CASE("CSV: comments, quotes, and errors that name file, line and column") {
  const auto t = io::CsvTable::parse("# source: x\ngpu,n,note\n\nh100,8,\"a, \"\"quoted\"\" note\"\n", "f.csv");
  REQUIRE(t.records().size() == 1);
  const auto& r = t.records()[0];
  CHECK(r.line == 4);
  CHECK(t.get(r, "note") == "a, \"quoted\" note");
  CHECK(t.get_int(r, "n", 1, 8) == 8);
  try {
    (void)t.get_int(r, "n", 1, 4);
    FAIL("accepted 8 outside 1..4");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("f.csv:4:2") != std::string::npos);
  }
  CHECK_THROWS_AS(t.get(r, "missing"), InputError);
  CHECK_THROWS_AS(io::CsvTable::parse("a,b\n1,2,3\n", "g.csv"), InputError);
}

TEST_CASE("the all-reduce reference reads as typed rows") {
  const auto rows = io::load_allreduce_reference(io::data_dir() + "/platforms/reference/allreduce.csv", io::default_catalog());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].gpu == "h100-sxm5-80gb");
  CHECK(rows[0].bytes == io::kLargeReferenceBytes);
  CHECK(rows[1].algorithm == Algorithm::nvls);
  CHECK(rows[2].algorithm == Algorithm::auto_);
  CHECK(io::find_preset(rows[2].gpu, rows[2].gpus, rows[2].interconnect) == "8x-a100-sxm4-nvswitch");
}

TEST_CASE("concurrent flows share a link equally - a shared link counts both directions") {
  const Catalog& c = io::default_catalog();
  const Topology t = Topology::build(io::load_node("4x-rtx3090-pcie", c), c);
  // GPU0 -> GPU1 alone: PCIe 31.5 x 0.8 = 25.2 up, DRAM crossed twice: 204.8 x 0.7 / 2 = 71.68
  const auto one = concurrent_gbps(t, {&t.gpu_path(0, 1).route});
  CHECK(one[0] == Approx(pcie_gbps_per_direction(4, 16) * 0.8));
  // Four flows of a ring: DRAM crossed 8 times, 17.92 GB/s each
  const auto ring = concurrent_gbps(t, {&t.gpu_path(0, 1).route, &t.gpu_path(1, 2).route, &t.gpu_path(2, 3).route,
                                        &t.gpu_path(3, 0).route});
  for (const double g : ring) CHECK(g == Approx(204.8 * 0.7 / 8));
  const ConcurrentPaths p = concurrent_paths(t, {&t.gpu_path(0, 1).route});
  CHECK(p.max_latency_s == Approx(2.2e-6));  // PCIe 1 us + DRAM 0.1 us, twice
}

TEST_CASE("channels and chunks follow the topology") {
  const Catalog& c = io::default_catalog();
  const auto planner_channels = [&](const std::string& preset) {
    const Topology t = Topology::build(io::load_node(preset, c), c);
    return CollectivePlanner(t).channels(all_gpus(t));
  };
  CHECK(planner_channels("8x-h100-sxm-nvswitch") == 16);   // NV18, at most 16
  CHECK(planner_channels("8x-a100-sxm4-nvswitch") == 12);  // NV12
  CHECK(planner_channels("4x-rtx3090-nvlink-pairs") == 2); // PCIe hops in the ring
  CHECK(CollectivePlanner::chunks(1) == 1);
  CHECK(CollectivePlanner::chunks(512 * 1024 + 1) == 2);
  CHECK(CollectivePlanner::chunks(8.0 * (1 << 30)) == kMaxPipelineChunks);
}
