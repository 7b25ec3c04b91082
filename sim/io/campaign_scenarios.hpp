// The scenario of each run of a campaign on one platform (docs/campaigns.md, "How a run's scenario
// is made"): the stage's scenario keys laid over `base`, the stage's batch for the platform's GPU
// (batch_by_gpu), the run's own overrides (when `runs:` is a list), the calibration factor for
// stages of the calibrated model that set none, and the platform. Errors name the campaign file's
// line and column of the key at fault, wherever it was written (base, stage or run).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/engine/scenario.hpp"
#include "sim/io/campaign_io.hpp"

namespace trainsim::io {

struct CalibrationUse {
  std::string model;  // stages training this model (and setting no calibration) get the factor
  double factor = 1;
};

// [stage][run], stages in the file's order.
[[nodiscard]] std::vector<std::vector<Scenario>> campaign_scenarios(const CampaignFile& c, const std::string& platform,
                                                                    const std::string& gpu, const Catalog& catalog,
                                                                    const std::optional<CalibrationUse>& calibration);

// Zoo names are case-insensitive and '_' reads as '-'.
[[nodiscard]] std::string canonical_model_name(const std::string& name);

}  // namespace trainsim::io
