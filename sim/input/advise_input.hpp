// The input of `trainsim advise`: a campaign file, or a scenario taken as a campaign of one stage
// ("run") whose base is the scenario without its platform (the candidates supply the platform).
#pragma once

#include <string>

#include "sim/input/campaign_io.hpp"

namespace trainsim::io {

// `path` may be - for standard input. A scenario is first checked as `trainsim run` checks it, so
// that its errors name its own lines.
[[nodiscard]] CampaignFile load_campaign_or_scenario(const std::string& path, const Catalog& catalog);

}  // namespace trainsim::io
