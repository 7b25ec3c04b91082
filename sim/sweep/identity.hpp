// A sweep's identity: the SHA-256 of everything that decides its table (the resolved scenario of
// every point, the axis columns, the replay settings). Shards of one sweep carry the same id in
// their HDF5 files; `trainsim merge` joins only files with equal ids.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/run.hpp"
#include "sim/engine/scenario.hpp"

namespace trainsim::sweep {

[[nodiscard]] std::string sweep_id(const std::vector<Scenario>& points, const std::vector<std::string>& columns,
                                   ReplayMode replay, const SamplingRule& sampling);
// A sweep over a campaign: the campaign text of every point instead.
[[nodiscard]] std::string campaign_sweep_id(const std::vector<std::string>& campaigns, const std::vector<std::string>& columns);

}  // namespace trainsim::sweep
