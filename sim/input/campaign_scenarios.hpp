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
#include "sim/input/campaign_io.hpp"

namespace trainsim::io {

struct CalibrationUse {
  std::string model;  // stages training this model (and setting no calibration) get the factor
  double factor = 1;
};

// [stage][run], stages in the file's order. Built from copies (linear in the file's size), so the
// scenarios' own locations are lost; errors thrown here do name the line and column (see below).
[[nodiscard]] std::vector<std::vector<Scenario>> campaign_scenarios(const CampaignFile& c, const std::string& platform,
                                                                    const std::string& gpu, const Catalog& catalog,
                                                                    const std::optional<CalibrationUse>& calibration);

// One run's scenario, every node with its line and column (a fresh parse of the whole file): what
// campaign_scenarios falls back to for a run whose scenario is wrong, and what a caller uses when
// a later check (fit_batch, prepare_run) fails on a scenario of campaign_scenarios, whose
// positions are lost. Throws the InputError at the line and column of the key at fault.
[[nodiscard]] Scenario campaign_run_scenario(const CampaignFile& c, std::size_t stage, std::size_t run,
                                             const std::string& platform, const std::string& gpu,
                                             const Catalog& catalog, const std::optional<CalibrationUse>& calibration);

// Zoo names are case-insensitive and '_' reads as '-'.
[[nodiscard]] std::string canonical_model_name(const std::string& name);

}  // namespace trainsim::io
