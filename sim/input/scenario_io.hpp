// Reading and writing scenario files (docs/scenarios.md). Strict: unknown keys are errors with the
// nearest valid key suggested, as are impossible values.
#pragma once

#include <string>

#include "sim/engine/scenario.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

[[nodiscard]] Scenario parse_scenario(const YNode& root, const Catalog& catalog);
[[nodiscard]] Scenario parse_scenario_text(const std::string& text, const std::string& file, const Catalog& catalog);
// A path, or "-" for standard input (read by the caller and given as text).
[[nodiscard]] Scenario load_scenario(const std::string& path, const Catalog& catalog);

// The scenario with every default filled in and the platform in full form: what ran.
[[nodiscard]] std::string scenario_to_yaml(const Scenario& s);

}  // namespace trainsim::io
