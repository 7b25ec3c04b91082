// Power, energy, amortisation and a tiny campaign's timeline worked out by hand.
#include <catch2/catch.hpp>

#include "sim/campaign/timeline.hpp"
#include "sim/model/power.hpp"

using namespace trainsim;
using namespace trainsim::campaign;

TEST_CASE("GPU power: idle + utilisation x (TDP - idle)") {
  // RTX 3090: 30 W idle, 350 W TDP, busy half the time: 30 + 0.5 x 320 = 190 W.
  CHECK(gpu_power_w(30, 350, 0.5) == Approx(190));
  CHECK(gpu_power_w(30, 350, 0) == Approx(30));
  CHECK(gpu_power_w(30, 350, 1) == Approx(350));
  // One hour with 1,800 s of kernels: 30 W x 3,600 s + 1,800 s x 320 W = 108,000 + 576,000 J.
  CHECK(gpu_energy_j(30, 350, 1800, 3600) == Approx(684000));
  CHECK_THROWS_AS(gpu_power_w(30, 350, 1.5), InputError);
  CHECK_THROWS_AS(gpu_power_w(400, 350, 0.5), InputError);
  CHECK_THROWS_AS(gpu_energy_j(30, 350, 1, 0), InputError);
  // Host: 16 cores x 7 W + 1 socket x 50 W = 162 W.
  CHECK(host_power_w(16, 1, 7, 50) == Approx(162));
}

TEST_CASE("on-premises price: purchase / (lifetime x 8760 h x utilisation)") {
  // $1,499 over 3 years at 50 % use: 1499 / (3 x 8760 x 0.5) = 1499 / 13140 = 0.11408 $/GPU-h.
  CHECK(amortised_usd_per_gpu_hour({1499, 3, 0.5}) == Approx(0.114079).epsilon(1e-5));
  CHECK_THROWS_AS(amortised_usd_per_gpu_hour({1499, 0, 0.5}), InputError);
  CHECK_THROWS_AS(amortised_usd_per_gpu_hour({1499, 3, 0}), InputError);
}

TEST_CASE("prices: the campaign's rule for the node, then for the GPU, then the catalog") {
  GpuSpec g;
  g.name = "rtx3090";
  g.price = PriceSpec{1.5, "catalog"};
  const std::vector<PriceRule> rules{{"rtx3090", {0.9, "gpu rule"}, {}}, {"4x-rtx3090-pcie", {0.8, "node rule"}, {}}};
  CHECK(resolve_price(rules, "4x-rtx3090-pcie", g)->usd_per_gpu_hour == 0.8);
  CHECK(resolve_price(rules, "1x-rtx3090", g)->usd_per_gpu_hour == 0.9);
  CHECK(resolve_price({}, "1x-rtx3090", g)->usd_per_gpu_hour == 1.5);
  g.price.reset();
  CHECK_FALSE(resolve_price({}, "1x-rtx3090", g).has_value());
}

TEST_CASE("a tiny campaign's hours, cost, energy and CO2 by hand") {
  // Pool of 2 GPUs: idle 50 W, TDP 250 W; host 100 W; 2 $/GPU-h; researcher 40 $/h; 0.5 kg/kWh.
  // train: one DDP run on both GPUs, 3,600 s, kernels busy 1,800 s on GPU 0 and 3,600 s on GPU 1.
  // sweep (after train): 3 packed runs of 1,800 s, each busy 900 s.
  StageSpec train;
  train.name = "train";
  StageSpec sweep;
  sweep.name = "sweep";
  sweep.after.push_back({"train", {}});
  sweep.runs = 3;
  sweep.placement = Placement::packed;
  const std::vector<StageSpec> stages{train, sweep};
  const StageGraph g(stages);
  const std::vector<RunOutcome> outcomes{
      {0, 0, 3600, {1800, 3600}}, {1, 0, 1800, {900}}, {1, 1, 1800, {900}}, {1, 2, 1800, {900}}};
  Economics e;
  e.researcher_usd_per_hour = 40;
  e.carbon_kg_per_kwh = 0.5;
  const NodeEconomics node{2, 50, 250, 100, Price{2, "test"}};
  const Timeline t = build_timeline(stages, g, outcomes, node, e);

  // Schedule: train 0-3,600 s; sweep runs 1 and 2 at 3,600-5,400 s; run 3 at 5,400-7,200 s.
  CHECK(t.makespan == Approx(7200));
  CHECK(t.runs[3].placed.start == Approx(5400));
  CHECK(t.stages[1].start == Approx(3600));
  CHECK(t.stages[1].end == Approx(7200));
  // GPU hours: train 2 GPUs x 1 h = 2; sweep 3 x 0.5 h = 1.5; total 3.5; cost 3.5 x 2 = $7.
  CHECK(t.stages[0].gpu_hours == Approx(2));
  CHECK(t.stages[1].gpu_hours == Approx(1.5));
  CHECK(t.gpu_hours == Approx(3.5));
  CHECK(*t.cost_usd == Approx(7));
  CHECK(*t.stages[1].cost_usd == Approx(3));
  // train: GPU 0 50 x 3600 + 1800 x 200 = 540,000 J; GPU 1 50 x 3600 + 3600 x 200 = 900,000 J;
  // host 100 W x 2/2 x 3,600 s = 360,000 J. 1,800,000 J = 0.5 kWh.
  CHECK(t.stages[0].energy_kwh == Approx(0.5));
  // a sweep run: 50 x 1800 + 900 x 200 = 270,000 J; host 50 W x 1,800 s = 90,000 J: 0.1 kWh each.
  CHECK(t.stages[1].energy_kwh == Approx(0.3));
  // idle: 2 x 7,200 - (7,200 + 5,400) = 1,800 GPU-s at 50 + 50 W = 180,000 J = 0.05 kWh.
  CHECK(t.idle_gpu_hours == Approx(0.5));
  CHECK(t.idle_energy_kwh == Approx(0.05));
  CHECK(t.energy_kwh == Approx(0.85));
  CHECK(t.co2_kg == Approx(0.425));
  CHECK(t.stages[0].co2_kg == Approx(0.25));
  // researcher: 2 h x $40 = $80.
  CHECK(t.researcher_cost_usd == Approx(80));
  CHECK(t.critical_path.length == Approx(3600 + 2700));  // sweep: 3 x 1,800 GPU-s over 2 GPUs
}

TEST_CASE("no price: costs are absent, not zero") {
  StageSpec s;
  s.name = "only";
  const StageGraph g({s});
  const NodeEconomics node{1, 50, 250, 0, std::nullopt};
  const Timeline t = build_timeline({s}, g, {{0, 0, 3600, {3600}}}, node, Economics{});
  CHECK_FALSE(t.cost_usd.has_value());
  CHECK_FALSE(t.stages[0].cost_usd.has_value());
  CHECK(t.energy_kwh == Approx(0.25));  // 250 W for an hour
}
