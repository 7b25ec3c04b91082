// Checking a report on its own terms: each kind of finding on small figures worked by hand, then
// the shipped OCR report's figures.
#include <catch2/catch.hpp>

#include "sim/campaign/report_check.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/report_io.hpp"

using namespace trainsim;
using namespace trainsim::campaign;

namespace {

bool has(const std::vector<Finding>& f, const std::string& topic, const std::string& fragment) {
  for (const auto& x : f) {
    if (x.topic == topic && x.text.find(fragment) != std::string::npos) return true;
  }
  return false;
}

ReportPlatform platform(const std::string& node, const std::string& label, const std::string& gpu, int gpus = 1) {
  ReportPlatform p;
  p.node = node;
  p.label = label;
  p.gpu = gpu;
  p.gpus = gpus;
  return p;
}

}  // namespace

TEST_CASE("report findings, worked by hand") {
  ReportData r;
  r.stages = {"a", "b"};
  r.carbon_kg_per_kwh = {0.5, 460};
  ReportPlatform base = platform("1x-rtx3090", "RTX", "rtx3090");
  base.stage_hours = {Figure{10, 1}, Figure{90, 2}};
  base.total_hours = Figure{100, 3};
  base.images_per_s = Figure{10, 4};
  base.usd_per_gpu_hour = Figure{2, 5};
  base.price_is_depreciation = true;
  base.purchase_usd = Figure{2000, 6};
  base.cost_usd = Figure{200, 7};
  base.energy_kwh = Figure{35, 8};  // 100 h x 350 W
  base.co2_kg = Figure{17.5, 9};
  ReportPlatform fast = platform("1x-h100-sxm", "H100", "h100-sxm5-80gb");
  fast.stage_hours = {Figure{4, 11}, Figure{30, 12}};  // adds up to 34 h; the total says 40
  fast.total_hours = Figure{40, 13};
  fast.images_per_s = Figure{100, 14};  // 10x per epoch, 2.5x in total
  fast.specs = {{"fp16_tflops", {1979, 15}}, {"tdp_w", {700, 15}}};
  ReportPlatform four = platform("4x-rtx3090-pcie", "4x RTX", "rtx3090", 4);
  four.total_hours = Figure{30, 20};
  four.cost_usd = Figure{800, 20};  // 4 x the one-GPU $200; 30 h x 4 x $2 = $240
  r.platforms = {base, fast, four};
  r.epochs = {{"epoch", {500, 30}, {600, 30}, {300, 31}}};  // 500 ms x 600 = 300 s, written as 300 min

  const auto f = check_report(r, io::default_catalog());
  // 1979 / 989.4 = 2.0: the sparse figure; the TDP is right and not mentioned.
  CHECK(has(f, "spec", "1979 FP16 tensor TFLOPS (line 15) where the catalog has 989.4 (2x): the 2:4 sparse peak"));
  CHECK_FALSE(has(f, "spec", "W TDP"));
  // 10x per epoch against 2.5x in total; at 10x the 90 h stage b would take 9 h, not 30.
  CHECK(has(f, "speed-up", "is 10x per epoch, but the campaign is only 2.5x shorter"));
  CHECK(has(f, "speed-up", "the 90 h b stage would take 9 h, not 30 h"));
  CHECK(has(f, "arithmetic", "500 ms x 600 iterations = 300 s = 5 min, not 300 min (line 31): seconds written as minutes"));
  CHECK(has(f, "sum", "H100: the stages add up to 34 h"));
  CHECK_FALSE(has(f, "sum", "RTX:"));  // 10 + 90 = 100
  CHECK(has(f, "cost", "4x RTX: $800 (line 20) is 4 x the one-GPU campaign's $200"));
  CHECK(has(f, "cost", "30 h x 4 GPU x $2/GPU-h = $240"));
  CHECK_FALSE(has(f, "cost", "RTX: $200"));  // 100 h x $2 is right
  CHECK(has(f, "cost", "writes the $2000 card (line 6) off in 1000 hours"));
  CHECK(has(f, "energy", "35 kWh (line 8) is TDP x hours (350 W x 100 h)"));
  CHECK(has(f, "energy", "= kWh x 0.5 kg/kWh (line 460)"));
}

TEST_CASE("stage checks: the report's hours per simulated iteration") {
  StageCheck c{"hrnet", Figure{48, 94}, 6.0, 70656};
  // 48 h x 3600 / 70,656 iterations = 2.446 s; trainsim 6 h x 3600 / 70,656 = 0.306 s; ratio 8.
  CHECK(*c.report_s_per_iteration() == Approx(2.4457).epsilon(1e-4));
  CHECK(c.trainsim_s_per_iteration() == Approx(0.30571).epsilon(1e-4));
  CHECK(*c.ratio() == Approx(8));
  CHECK(short_number(17.4) == "17.4");
  CHECK(short_number(2.0) == "2");
  CHECK(short_number(0.126, 2) == "0.13");
}

TEST_CASE("the OCR report's own figures break where the reference notes say") {
  const ReportData r = io::load_report(io::data_dir() + "/scenarios/ocr-report.yaml", io::default_catalog());
  CHECK(r.platforms.front().node == "1x-rtx3090");
  const auto f = check_report(r, io::default_catalog());
  CHECK(has(f, "spec", "H100 80GB: 1979 FP16 tensor TFLOPS (line 40) where the catalog has 989.4 (2x): the 2:4 sparse"));
  CHECK(has(f, "spec", "H200 141GB: 1979 FP16"));
  CHECK(has(f, "spec", "B200 288GB: 288 GB of memory (line 43) where the catalog has 180"));
  CHECK(has(f, "spec", "12000 GB/s of memory bandwidth (line 43)"));
  CHECK_FALSE(has(f, "spec", "RTX 3090"));
  CHECK_FALSE(has(f, "spec", "A100"));
  CHECK(has(f, "speed-up", "H200 141GB: 155 images/s against 8.9 on the RTX 3090 (line 257) is 17.4x per epoch, but the campaign is only 2.9x"));
  CHECK(has(f, "arithmetic", "450 ms x 736 iterations = 331 s = 5.5 min, not 331 min (line 271): seconds written as minutes"));
  CHECK(has(f, "cost", "4x H100: $1408 (line 320) is 4 x the one-GPU campaign's $352"));
}
