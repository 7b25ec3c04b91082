// A platform's campaign as the reports show it: the plan's runs with their simulations' results,
// placed on the node's GPUs (the timeline), priced at `price`.
#pragma once

#include <optional>
#include <vector>

#include "sim/campaign/advice.hpp"
#include "sim/campaign/stage_graph.hpp"
#include "sim/cli/campaign_runner.hpp"
#include "sim/input/campaign_plan.hpp"
#include "sim/report/campaign_report.hpp"

namespace trainsim::cli {

// `results` is indexed by the plan's simulation indices (PlannedRun::simulation).
[[nodiscard]] io::PlatformView view_of(const io::PlatformPlan& p, const io::CampaignFile& file, const campaign::StageGraph& graph,
                                       const std::vector<ChildOutcome>& results, const std::optional<campaign::Price>& price);

// The platform as an option of `trainsim advise` (and of compare's HTML report): totals, stage
// hours and cost, and where its GPU time goes (each run's GPU hours split as its simulation's mean
// iteration splits; runs whose batch was cut to fit memory counted as memory-limited).
[[nodiscard]] campaign::Option option_of(const io::PlatformView& v, const io::PlatformPlan& p,
                                         const std::vector<ChildOutcome>& results);

}  // namespace trainsim::cli
