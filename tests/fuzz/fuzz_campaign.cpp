// Fuzzes the campaign loader and everything a campaign command prepares before it simulates: the
// file (stages, the stage graph and its cycles, economics, calibration, platforms), the calibration
// factor, the plan (each run's scenario on each platform, packed slices, batches fitted to memory,
// identical runs merged) and the timeline (list schedule, critical path, cost, energy) with a
// stand-in duration per run instead of a replay: nothing here starts SimGrid.
#include <algorithm>

#include "fuzz_common.hpp"
#include "sim/campaign/calibration_point.hpp"
#include "sim/campaign/timeline.hpp"
#include "sim/input/campaign_io.hpp"
#include "sim/input/campaign_plan.hpp"
#include "sim/input/loader_io.hpp"

namespace {

using namespace trainsim;

// Planning resolves a scenario per run and platform: a legal campaign of 10,000 runs takes seconds,
// which is its cost, not a finding. Bigger campaigns are loaded and checked, not planned.
constexpr long long kMaxPlannedRuns = 64;
constexpr std::size_t kMaxPlatforms = 2;

void timeline(const io::CampaignFile& c, const campaign::StageGraph& graph, const io::PlatformPlan& p) {
  std::vector<campaign::RunOutcome> outcomes;
  for (std::size_t s = 0; s < p.stages.size(); ++s) {
    for (std::size_t r = 0; r < p.stages[s].size(); ++r) {
      const auto& f = p.stages[s][r].fitted;
      const Seconds run_s = 0.05 * static_cast<double>(f.iterations);  // a stand-in for the replay
      outcomes.push_back({static_cast<int>(s), static_cast<int>(r), run_s,
                          std::vector<Seconds>(static_cast<std::size_t>(f.gpus), 0.8 * run_s)});
    }
  }
  const campaign::NodeEconomics node{p.gpus, p.gpu->idle_w, p.gpu->tdp_w, 500,
                                     campaign::resolve_price(c.prices, p.ref, *p.gpu)};
  (void)campaign::build_timeline(c.stages, graph, outcomes, node, c.economics);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::run(data, size, [](const std::string& text) {
    const Catalog& catalog = fuzz::catalog();
    // Named inside the repository's scenarios/: relative paths resolve as for a shipped campaign.
    const io::CampaignFile c = io::parse_campaign_text(text, fuzz::scenarios_file("fuzz-campaign.yaml"), catalog);
    const campaign::StageGraph graph(c.stages);
    std::optional<io::CalibrationUse> use;
    if (c.calibration) {
      const campaign::Calibration k = campaign::calibrate(*c.calibration, catalog);
      use = io::CalibrationUse{k.point.model, k.factor};
    }
    long long runs = 0;
    for (const auto& s : c.stages) runs += s.runs;
    if (runs > kMaxPlannedRuns) return;
    std::vector<io::CampaignPlatform> platforms(c.platforms.begin(),
                                                c.platforms.begin() + static_cast<long>(std::min(c.platforms.size(), kMaxPlatforms)));
    if (platforms.empty()) platforms.push_back({"1x-rtx3090", {"fuzz"}});
    const io::CampaignPlan plan = io::plan_campaign(c, platforms, catalog, io::default_loader_costs(), use);
    for (const auto& p : plan.platforms) timeline(c, graph, p);
  });
}
