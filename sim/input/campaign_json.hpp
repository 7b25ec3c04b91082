// A campaign's totals on one platform as `trainsim campaign --json` prints them, read back: the
// row of a sweep point whose base is a campaign (docs/sweeps.md).
#pragma once

#include <string>

namespace trainsim::io {

struct CampaignTotals {
  std::string platform, gpu;
  long long gpus = 0;
  double wall_hours = 0;        // the makespan
  double gpu_hours = 0;
  double cost_usd = 0;          // NaN when the GPU has no price
  double researcher_cost_usd = 0;
  double energy_kwh = 0;
  double co2_kg = 0;
  double idle_gpu_hours = 0;
  long long runs = 0;
  long long simulated = 0;
};

// The first platform of the JSON list (a sweep point's campaign has one). Throws RuntimeError
// when the text is not that.
[[nodiscard]] CampaignTotals parse_campaign_json(const std::string& text);

}  // namespace trainsim::io
