// Simulating `trainsim advise`'s candidates: the campaign planned on each candidate (a candidate
// whose plan fails is an option with its error), every distinct simulation of every candidate run
// in forked children, `jobs` at a time (sampled replay by default), then each candidate's timeline
// priced as rented and/or bought.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/campaign/advice.hpp"
#include "sim/campaign/candidates.hpp"
#include "sim/campaign/ownership.hpp"
#include "sim/campaign/stage_graph.hpp"
#include "sim/engine/run.hpp"
#include "sim/report/campaign_report.hpp"
#include "sim/input/campaign_scenarios.hpp"

namespace trainsim::cli {

struct AdviseSetup {
  const io::CampaignFile* file = nullptr;
  const campaign::StageGraph* graph = nullptr;
  std::optional<io::CalibrationUse> calibration;
  std::vector<campaign::Candidate> candidates;
  int jobs = 1;
  ReplayMode replay = ReplayMode::sampled;
  SamplingRule sampling;
  bool rent = true;
  bool buy = false;
  bool check = false;  // plan every candidate, run nothing: options hold only the failed plans
  const campaign::BuyRentData* buy_rent = nullptr;
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct AdvisedOption {
  campaign::Option option;
  std::optional<io::PlatformView> view;  // when it ran
};

struct AdviseResult {
  std::vector<AdvisedOption> options;  // candidates' order; rent before buy
  int simulations = 0;
  int planned = 0;  // candidates whose campaign plan succeeded
};

[[nodiscard]] AdviseResult run_candidates(const AdviseSetup& setup, const Catalog& catalog);

// The price a candidate rents at: the campaign file's own price for its node or GPU, else the
// cloud on-demand price of platforms/economics.yaml, else the catalog's price.
[[nodiscard]] std::optional<campaign::Price> rent_price(const io::CampaignFile& file, const campaign::BuyRentData& d,
                                                        const std::string& node, const GpuSpec& gpu);

}  // namespace trainsim::cli
