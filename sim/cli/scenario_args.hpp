// Reading a scenario named on the command line: a path, or "-" for standard input.
#pragma once

#include <string>

#include "sim/engine/scenario.hpp"

namespace trainsim::cli {

[[nodiscard]] Scenario load_scenario_arg(const std::string& arg, const Catalog& catalog);

}  // namespace trainsim::cli
