// A scenario moved onto N nodes of a cluster, for `trainsim scale` (sim/cli/cmd_scale.cpp): the
// scenario file's `platform` replaced by the cluster's map with `nodes: N`.
#pragma once

#include <string>

#include "sim/engine/scenario.hpp"

namespace trainsim::io {

// `cluster`: a cluster preset name (platforms/clusters) or a cluster file; its `nodes` is replaced
// by `nodes`, its node and network kept. Throws InputError for a cluster that is neither, or a
// scenario or cluster that does not parse (the scenario's own errors name its file).
[[nodiscard]] Scenario scenario_on_cluster(const std::string& scenario_path, const std::string& cluster, int nodes,
                                           const Catalog& catalog);

}  // namespace trainsim::io
