#include "sim/sweep/identity.hpp"

#include "sim/input/scenario_io.hpp"
#include "sim/util/sha256.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::sweep {

std::string sweep_id(const std::vector<Scenario>& points, const std::vector<std::string>& columns, ReplayMode replay,
                     const SamplingRule& sampling) {
  std::string text = "trainsim sweep 1\ncolumns: " + join(columns, ", ") + "\nreplay: " + to_string(replay);
  if (replay == ReplayMode::sampled) {
    text += " ci " + format_double(sampling.rel_half_width) + " warmup " + std::to_string(sampling.warmup) + " min " +
            std::to_string(sampling.min_steady) + " batches " + std::to_string(sampling.batches);
  }
  text += "\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    text += "--- point " + std::to_string(i) + "\n" + io::scenario_to_yaml(points[i]);
  }
  return sha256_hex(text);
}

std::string campaign_sweep_id(const std::vector<std::string>& campaigns, const std::vector<std::string>& columns) {
  std::string text = "trainsim campaign sweep 1\ncolumns: " + join(columns, ", ") + "\n";
  for (std::size_t i = 0; i < campaigns.size(); ++i) text += "--- point " + std::to_string(i) + "\n" + campaigns[i];
  return sha256_hex(text);
}

}  // namespace trainsim::sweep
