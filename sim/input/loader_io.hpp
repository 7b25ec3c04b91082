#pragma once

#include <string>

#include "sim/workload/loader.hpp"

namespace trainsim::io {

[[nodiscard]] LoaderCosts parse_loader_costs(const std::string& text, const std::string& file);
// platforms/dataloader.yaml of the data folder, loaded once per process.
[[nodiscard]] const LoaderCosts& default_loader_costs();

}  // namespace trainsim::io
