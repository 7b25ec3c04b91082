// The output of `trainsim campaign` and `trainsim compare`: per platform a table of stages (when,
// how long, GPU hours, cost, kWh, CO2) and a text Gantt chart, then platforms side by side; and
// the JSON of the same. The views are filled by the command from the plan and the timelines.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/campaign/calibration_point.hpp"
#include "sim/campaign/timeline.hpp"
#include "sim/util/json.hpp"

namespace trainsim::io {

struct StageView {
  std::string name;
  std::string placement;
  int runs = 0;
  int simulated = 0;         // distinct simulations among its runs
  int gpus_per_run = 1;
  int batch_per_gpu = 0;     // of the first run
  double images_per_s = 0;   // of the first run
  long long iterations = 0;  // of the first run
  long long iterations_all_runs = 0;
  bool runs_differ = false;  // per-run overrides make the runs unlike: the first run is shown
};

struct PlatformView {
  std::string name;  // the node
  std::string gpu;
  std::string gpu_display;
  int gpus = 1;
  std::optional<campaign::Price> price;
  Watts gpu_idle_w = 0, gpu_tdp_w = 0, host_w = 0;
  int cores = 0, sockets = 0;
  campaign::Timeline timeline;
  std::vector<StageView> stages;
  std::vector<std::string> notes;
  int runs = 0;
  int simulated = 0;
};

struct CampaignView {
  std::string name;
  std::string file;
  campaign::Economics economics;
  std::optional<campaign::Calibration> calibration;
  std::vector<PlatformView> platforms;
};

// The heading (campaign, calibration, economics) and one section per platform.
[[nodiscard]] std::string campaign_text(const CampaignView& v);
// Platforms in columns: hours per stage, totals, cost, energy, CO2, speed-up against the first.
[[nodiscard]] std::string side_by_side_text(const CampaignView& v);
// One row per stage over the makespan; '#' where a DDP run holds the node, and for packed stages
// the number of runs going at once.
[[nodiscard]] std::string gantt_text(const PlatformView& p, int columns = 60);
// A list with one object per platform (docs/campaigns.md lists the keys).
[[nodiscard]] Json campaign_json(const CampaignView& v);

}  // namespace trainsim::io
