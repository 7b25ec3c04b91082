// Reading campaign files (docs/campaigns.md): stages with dependencies, runs and placement, the
// economics, the calibration point, the default platforms. Strict like scenario files: unknown keys
// and impossible values are InputErrors at file:line:column. The scenario of each run is built
// from the file by campaign_scenarios() (sim/input/campaign_scenarios.hpp).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/campaign/calibration_point.hpp"
#include "sim/campaign/economics.hpp"
#include "sim/campaign/stage.hpp"
#include "sim/hw/catalog.hpp"

namespace trainsim::io {

struct CampaignPlatform {
  std::string node;  // a preset name or a node file
  SourceLocation where;
};

struct CampaignFile {
  std::string file;  // as given
  std::string text;  // the YAML as given: each run's scenario is built from a fresh parse of it
  std::string name;
  std::string description;
  std::vector<campaign::StageSpec> stages;
  std::vector<CampaignPlatform> platforms;  // `platforms:`, used when the command line names none
  campaign::Economics economics;            // defaults (platforms/economics.yaml) with the file's overrides
  std::vector<campaign::PriceRule> prices;
  std::optional<campaign::CalibrationPoint> calibration;
  std::string report;  // `report:` resolved against the campaign file's folder; empty when absent
  SourceLocation report_where;
};

// The keys of a scenario that base, stages and per-run overrides may set.
[[nodiscard]] const std::vector<std::string>& campaign_scenario_keys();

[[nodiscard]] CampaignFile parse_campaign_text(const std::string& text, const std::string& file, const Catalog& catalog);
[[nodiscard]] CampaignFile load_campaign(const std::string& path, const Catalog& catalog);

}  // namespace trainsim::io
