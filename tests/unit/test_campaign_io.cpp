// Campaign files: what they give, how a run's scenario is built from base, stage and run, and
// the errors of bad files (each at its file:line:column).
#include <catch2/catch.hpp>

#include "sim/campaign/placement.hpp"
#include "sim/input/campaign_scenarios.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/input/scenario_io.hpp"

using namespace trainsim;

namespace {

const std::string kGood = R"(name: tiny
platforms: [1x-rtx3090]
x-batches: &b {rtx3090: 3, h100-sxm5-80gb: 9}
base:
  seed: 7
  workload: {model: resnet18, image_px: 224, precision: amp, dataset: {images: 640}}
  run: {iterations: 10}
calibration: {gpu: rtx3090, model: dbnet-hrnet-w44, image_px: 1024, batch: 4, iteration_ms: 450}
economics:
  researcher_usd_per_hour: 50
  carbon_kg_per_kwh: 0.5
  prices:
    rtx3090: {on_premises: {purchase_usd: 1499, lifetime_years: 3, utilisation: 0.5}, source: "bought 2021"}
    4x-h100-sxm-nvswitch: 3.0
stages:
  - name: first
    workload: {batch_per_gpu: 32}
  - name: sweep
    after: [first]
    placement: packed
    runs:
      - {seed: 1}
      - {workload: {image_px: 256}}
  - name: big
    after: [sweep]
    workload: {model: dbnet-hrnet-w44, image_px: 640}
    batch_by_gpu: *b
)";

io::CampaignFile parse(const std::string& text) { return io::parse_campaign_text(text, "c.yaml", io::default_catalog()); }

std::vector<std::vector<Scenario>> build(const io::CampaignFile& c, const std::string& node, const std::string& gpu) {
  return io::campaign_scenarios(c, node, gpu, io::default_catalog(), io::CalibrationUse{"dbnet-hrnet-w44", 1.25});
}

}  // namespace

TEST_CASE("a campaign file: stages, runs, placement, economics, calibration") {
  const io::CampaignFile c = parse(kGood);
  REQUIRE(c.stages.size() == 3);
  CHECK(c.stages[1].runs == 2);
  CHECK(c.stages[1].placement == campaign::Placement::packed);
  CHECK(c.stages[2].after[0].name == "sweep");
  CHECK(c.stages[2].after[0].where.line == 25);
  CHECK(c.economics.researcher_usd_per_hour == 50);
  CHECK(c.economics.carbon_kg_per_kwh == 0.5);
  CHECK(c.economics.host_w_per_core > 0);  // the default of platforms/economics.yaml
  REQUIRE(c.prices.size() == 2);
  CHECK(c.prices[0].price.usd_per_gpu_hour == Approx(1499.0 / (3 * 8760 * 0.5)));
  CHECK(c.prices[1].price.usd_per_gpu_hour == 3.0);
  REQUIRE(c.calibration.has_value());
  CHECK(c.calibration->measured == Approx(0.45));
  CHECK(c.platforms.at(0).node == "1x-rtx3090");
}

TEST_CASE("each run's scenario: base, then stage, then batch_by_gpu, then the run's overrides") {
  const io::CampaignFile c = parse(kGood);
  const auto s = build(c, "1x-rtx3090", "rtx3090");
  REQUIRE(s.size() == 3);
  CHECK(s[0][0].seed == 7);
  CHECK(s[0][0].workload.batch_per_gpu == 32);
  CHECK(s[0][0].workload.dataset.images == 640);
  REQUIRE(s[1].size() == 2);
  CHECK(s[1][0].seed == 1);
  CHECK(s[1][0].workload.batch_per_gpu == 0);  // the stage sets none: auto
  CHECK(s[1][1].seed == 7);
  CHECK(s[1][1].workload.height_px == 256);
  CHECK(s[2][0].workload.batch_per_gpu == 3);  // batch_by_gpu for rtx3090
  // The calibration factor goes to the calibrated model only.
  CHECK(s[2][0].workload.calibration == 1.25);
  CHECK(s[0][0].workload.calibration == 1.0);
  // Another platform: its GPU's batch, its node.
  const auto h = build(c, "4x-h100-sxm-nvswitch", "h100-sxm5-80gb");
  CHECK(h[2][0].workload.batch_per_gpu == 9);
  CHECK(h[2][0].platform.name == "4x-h100-sxm-nvswitch");
  // Building twice gives the same scenarios (each build parses the file afresh).
  CHECK(build(c, "1x-rtx3090", "rtx3090")[1][1].workload.height_px == 256);
}

TEST_CASE("runs built from copies are the runs built from a fresh parse, which keeps positions") {
  // campaign_scenarios copies each run's parts (a fresh parse of the whole file per run was
  // quadratic in a long list of runs); campaign_run_scenario parses afresh for the positions.
  const io::CampaignFile c = parse(kGood);
  for (const auto& [node, gpu] : {std::pair{"1x-rtx3090", "rtx3090"}, std::pair{"4x-h100-sxm-nvswitch", "h100-sxm5-80gb"}}) {
    const auto runs = build(c, node, gpu);
    for (std::size_t s = 0; s < runs.size(); ++s) {
      for (std::size_t r = 0; r < runs[s].size(); ++r) {
        const Scenario fresh = io::campaign_run_scenario(c, s, r, node, gpu, io::default_catalog(),
                                                         io::CalibrationUse{"dbnet-hrnet-w44", 1.25});
        CHECK(io::scenario_to_yaml(runs[s][r]) == io::scenario_to_yaml(fresh));
      }
    }
  }
  // the sweep stage's second run sets image_px to 256 on line 23, column 31
  const Scenario fresh = io::campaign_run_scenario(c, 1, 1, "1x-rtx3090", "rtx3090", io::default_catalog(), std::nullopt);
  CHECK(fresh.locations.at("workload.image_px").line == 23);
  CHECK(fresh.locations.at("workload.image_px").column == 31);
}

TEST_CASE("errors in a stage's scenario keys keep their own line and column") {
  std::string text = kGood;
  text.replace(text.find("image_px: 256"), 13, "image_pix: 256");
  const io::CampaignFile c = parse(text);
  try {
    (void)build(c, "1x-rtx3090", "rtx3090");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().file == "c.yaml");
    CHECK(e.where().line == 23);
    CHECK(e.where().column == 21);
    CHECK(std::string(e.what()).find("did you mean 'image_px'") != std::string::npos);
  }
}

TEST_CASE("a batch that does not fit falls back to auto, and says so") {
  const io::CampaignFile c = parse(kGood);
  Scenario s = build(c, "1x-rtx3090", "rtx3090")[2][0];
  s.workload.batch_per_gpu = 4096;
  const campaign::FittedRun f = campaign::fit_batch(s, io::default_catalog(), io::default_loader_costs());
  REQUIRE(f.fallback.has_value());
  CHECK(f.fallback->find("batch 4096 per GPU does not fit") == 0);
  CHECK(f.batch_per_gpu >= 1);
  CHECK(f.batch_per_gpu < 4096);
  CHECK(f.scenario.workload.batch_per_gpu == f.batch_per_gpu);
  s.workload.batch_per_gpu = 2;
  CHECK_FALSE(campaign::fit_batch(s, io::default_catalog(), io::default_loader_costs()).fallback.has_value());
}

TEST_CASE("a packed run's slice: one GPU and its share of the host") {
  const io::CampaignFile c = parse(kGood);
  const Scenario s = build(c, "4x-rtx3090-pcie", "rtx3090")[1][0];
  const Scenario one = campaign::gpu_slice(s);
  int gpus = 0, cores = 0, all_cores = 0;
  for (const auto& v : one.platform.vertices) {
    gpus += v.kind == VertexKind::gpu;
    if (v.kind == VertexKind::host) cores += v.cores;
  }
  for (const auto& v : s.platform.vertices) {
    if (v.kind == VertexKind::host) all_cores += v.cores;
  }
  CHECK(gpus == 1);
  CHECK(cores == all_cores / 4);  // 32 cores of the workstation, 8 per GPU
}

struct Bad {
  const char* from;
  const char* to;
  int line, column;
  const char* fragment;
};

TEST_CASE("bad campaign files: one error at its line and column") {
  const Bad cases[] = {
      {"after: [sweep]", "after: [swep]", 25, 13, "did you mean 'sweep'"},
      {"  - name: first\n", "  - name: first\n    after: [big]\n", 17, 13, "first -> sweep -> big -> first"},
      {"placement: packed", "placement: pack", 20, 16, "ddp, packed"},
      {"    runs:\n      - {seed: 1}\n      - {workload: {image_px: 256}}", "    runs: -3", 21, 11, "a number of runs"},
      {"    batch_by_gpu: *b", "    batch_by_gpu: *b\n    placment: ddp", 28, 5, "did you mean 'placement'"},
      {"name: tiny", "name: tiny\nplatform: 1x-rtx3090", 2, 1, "did you mean 'platforms'"},
      {"  seed: 7", "  seed: 7\n  platform: 1x-rtx3090", 6, 13, "no platform in base"},
      {"rtx3090: {on_", "rtx3900: {on_", 13, 14, "did you mean 'rtx3090'"},
      {"{seed: 1}", "{seed: 1", 24, 3, "valid YAML"},  // where yaml-cpp notices
  };
  for (const auto& b : cases) {
    std::string text = kGood;
    const auto at = text.find(b.from);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string(b.from).size(), b.to);
    INFO(b.to);
    try {
      (void)parse(text);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().line == b.line);
      CHECK(e.where().column == b.column);
      CHECK(std::string(e.what()).find(b.fragment) != std::string::npos);
    }
  }
}
