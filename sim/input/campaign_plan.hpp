// What a campaign or compare command (and a sweep over a campaign) simulates: for each platform, the scenario of every run
// (packed runs on a one-GPU slice, batches fitted to the GPU's memory), and the distinct
// simulations among them. Runs whose resolved scenarios are identical (same workload, platform,
// run length and seed) are simulated once and their result is reused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/campaign/placement.hpp"
#include "sim/input/campaign_scenarios.hpp"

namespace trainsim::io {

struct PlannedRun {
  campaign::FittedRun fitted;
  std::string name;     // "<stage>" for a stage's only run, else "<stage>-<k>" (k from 1)
  int simulation = -1;  // index into CampaignPlan::simulations
};

struct PlatformPlan {
  std::string ref;   // as named on the command line or under `platforms:`
  std::string name;  // the node's name: tables, HDF5 groups
  NodeSpec node;
  const GpuSpec* gpu = nullptr;
  int gpus = 1;
  std::vector<std::vector<PlannedRun>> stages;  // [stage][run]
  std::vector<std::string> notes;               // batches replaced by auto, ...
  int runs = 0;
  int simulated = 0;
};

struct Simulation {
  Scenario scenario;
  int platform = 0;
  std::string run;  // the name of the first run that uses it
  double weight = 0;  // iterations x GPUs^2, a guess at its cost: the longest start first
};

struct CampaignPlan {
  std::vector<PlatformPlan> platforms;
  std::vector<Simulation> simulations;
};

// Throws InputError for anything wrong in the campaign file or a platform (before anything runs).
[[nodiscard]] CampaignPlan plan_campaign(const io::CampaignFile& c, const std::vector<io::CampaignPlatform>& platforms,
                                         const Catalog& catalog, const LoaderCosts& loader,
                                         const std::optional<io::CalibrationUse>& calibration);

}  // namespace trainsim::io
