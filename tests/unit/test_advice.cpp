// The advisor's decisions worked out by hand: frontier, constraints, ranking, bottleneck,
// candidates, and owning against renting.
#include <catch2/catch.hpp>

#include "sim/campaign/advice.hpp"
#include "sim/campaign/candidates.hpp"
#include "sim/campaign/ownership.hpp"

using namespace trainsim;
using namespace trainsim::campaign;

namespace {

Option opt(const std::string& name, double hours, std::optional<double> cost, double researcher = 0, double kwh = 1) {
  Option o;
  o.name = name;
  o.wall_hours = hours;
  o.cost_usd = cost;
  o.researcher_usd = researcher;
  if (cost) o.total_cost_usd = *cost + researcher;
  o.kwh = kwh;
  return o;
}

}  // namespace

TEST_CASE("Pareto frontier of wall time against total cost") {
  // a (10 h, $100) and c (2 h, $300) trade time for money; b (12 h, $150) is beaten by a on both;
  // d (10 h, $100) ties a exactly: neither beats the other, both stay; e failed; f has no price.
  std::vector<Option> o{opt("a", 10, 100), opt("b", 12, 150), opt("c", 2, 300), opt("d", 10, 100), opt("e", 1, 1),
                        opt("f", 0.5, std::nullopt)};
  o[4].error = "boom";
  mark_pareto(o);
  CHECK(o[0].pareto);
  CHECK_FALSE(o[1].pareto);
  CHECK(o[2].pareto);
  CHECK(o[3].pareto);
  CHECK_FALSE(o[4].pareto);  // failed options are never on it, and beat nobody
  CHECK_FALSE(o[5].pareto);
}

TEST_CASE("constraints and ranking: feasible first, then by the objective, failures last") {
  std::vector<Option> o{opt("slow-cheap", 30, 50, 1500), opt("fast-dear", 5, 900, 250), opt("mid", 20, 400, 1000),
                        opt("broken", 1, 1)};
  o[3].error = "no";
  apply_constraints(o, {24.0, 500.0, Objective::cost_researcher});
  CHECK_FALSE(o[0].meets_deadline);  // 30 h > 24 h
  CHECK(o[0].meets_budget);
  CHECK(o[1].meets_deadline);
  CHECK_FALSE(o[1].meets_budget);   // $900 > $500
  CHECK((o[2].meets_deadline && o[2].meets_budget));
  CHECK_FALSE(o[3].meets_deadline);
  rank_options(o, Objective::cost_researcher);
  // mid meets both; then one constraint each: fast-dear ($1,150 total) before slow-cheap ($1,550).
  CHECK(o[0].name == "mid");
  CHECK(o[1].name == "fast-dear");
  CHECK(o[2].name == "slow-cheap");
  CHECK(o[3].name == "broken");
  CHECK(o[3].rank == 4);
  rank_options(o, Objective::time);
  CHECK(o[1].name == "fast-dear");  // same groups; within a group by hours
  CHECK(parse_objective("cost+researcher") == Objective::cost_researcher);
  CHECK_FALSE(parse_objective("speed").has_value());
}

TEST_CASE("fastest within a budget, cheapest within a deadline") {
  const std::vector<Option> o{opt("a", 100, 50), opt("b", 40, 450), opt("c", 10, 900)};
  CHECK(fastest_within(o, 500.0)->name == "b");
  CHECK(fastest_within(o, 1000.0)->name == "c");
  CHECK(fastest_within(o, 10.0) == nullptr);
  CHECK(cheapest_within(o, 168.0)->name == "a");
  CHECK(cheapest_within(o, 50.0)->name == "b");
}

TEST_CASE("bottleneck: memory-limited from half the GPU hours, else the largest share") {
  CHECK(bottleneck_of({6, 3, 1, 0, 10}) == Bottleneck::compute);
  CHECK(bottleneck_of({3, 6, 1, 0, 10}) == Bottleneck::exposed_comm);
  CHECK(bottleneck_of({3, 1, 6, 0, 10}) == Bottleneck::data_stall);
  CHECK(bottleneck_of({6, 3, 1, 5, 10}) == Bottleneck::memory_batch);  // 5 of 10 GPU hours at a cut batch
  CHECK(bottleneck_of({6, 3, 1, 4.9, 10}) == Bottleneck::compute);
  CHECK(to_string(Bottleneck::exposed_comm) == "exposed communication");
}

TEST_CASE("candidates: every GPU at each count with its usual interconnect, presets reused") {
  Catalog cat;
  GpuSpec geforce;
  geforce.name = "rtx3090";
  geforce.nvlink = {56.25, 4, 3, true};
  GpuSpec sxm;
  sxm.name = "h100-sxm5-80gb";
  sxm.nvlink = {450, 18, 4, false};
  GpuSpec v100;
  v100.name = "v100-sxm2-32gb";
  v100.nvlink = {150, 6, 2, false};
  cat.gpus = {geforce, sxm, v100};
  CHECK(usual_interconnect(geforce, 4) == Interconnect::pcie);
  CHECK(usual_interconnect(sxm, 8) == Interconnect::nvswitch);
  CHECK(usual_interconnect(sxm, 1) == Interconnect::pcie);
  CHECK(usual_interconnect(v100, 4) == Interconnect::nvlink_mesh);
  const std::vector<PresetShape> shapes{{"4x-rtx3090-pcie", "rtx3090", 4, Interconnect::pcie}};
  const auto c = default_candidates(cat, shapes, {"4x-rtx3090-pcie", "8x-v100-sxm2-dgx1"});
  // 3 GPUs x 4 counts, less the 8-way V100 mesh (the DGX-1 preset stands for it), plus that preset.
  REQUIRE(c.size() == 12);
  CHECK(c[2].name == "4x-rtx3090-pcie");
  CHECK(c[2].origin == "preset");
  CHECK(c[1].name == "2x-rtx3090-pcie");
  CHECK(c[1].ref == "{name: 2x-rtx3090-pcie, gpu: rtx3090, count: 2, interconnect: pcie}");
  CHECK(c[7].name == "8x-h100-sxm5-80gb-nvswitch");
  CHECK(c.back().name == "8x-v100-sxm2-dgx1");
}

TEST_CASE("buy or rent: amortised purchase, electricity with cooling, break-even") {
  BuyRentData d;
  d.usd_per_kwh = {0.15, ""};
  d.cooling_overhead = {1.5, ""};
  d.lifetime_years = 3;
  d.utilisation = 0.5;
  d.gpus = {{"rtx3090", {650, ""}, "used"}};
  d.hosts = {{2, "desktop", {500, ""}}, {4, "workstation", {4900, ""}}};
  d.cloud = {{"rtx3090", 0.39, 0.22, "RunPod", "2026-03", ""}};
  // 4 x 650 + 4900 = 7,500 $; per GPU-hour: 7500 / 4 / (3 x 8760 x 0.5) = 1875 / 13140 = 0.14269.
  CHECK(*node_purchase_usd(d, "rtx3090", 4) == Approx(7500));
  CHECK(*amortised_node_usd_per_gpu_hour(d, "rtx3090", 4) == Approx(0.142694).epsilon(1e-5));
  CHECK(*node_purchase_usd(d, "rtx3090", 1) == Approx(1150));  // the smallest host that holds it
  CHECK_FALSE(node_purchase_usd(d, "rtx3090", 8).has_value());
  // A campaign of 100 h, 400 GPU-h, 200 kWh: electricity 200 x 0.15 x 1.5 = 45 $; rented 400 x 0.39
  // = 156 $ (spot 88 $). Owned, 2 a year: 7500 / (3 x 2) + 45 = 1,295 $. Break-even: 7500 / 3 /
  // (156 - 45) = 22.5 campaigns a year; 100 of them do not fit in a year (10,000 h > 8,760 h).
  const BuyRent b = buy_or_rent(d, "4x-rtx3090-pcie", "rtx3090", 4, 100, 400, 200, {2, 100});
  CHECK(b.electricity_usd == Approx(45));
  CHECK(b.rows[0].rented_usd == Approx(156));
  CHECK(*b.rows[0].rented_spot_usd == Approx(88));
  CHECK(b.rows[0].owned_usd == Approx(1295));
  CHECK(*b.break_even_per_year == Approx(22.5225).epsilon(1e-4));
  CHECK(b.rows[0].fits_in_a_year);
  CHECK_FALSE(b.rows[1].fits_in_a_year);
}
