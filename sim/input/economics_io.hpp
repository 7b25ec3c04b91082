// The defaults of a campaign's economics: platforms/economics.yaml (grid carbon intensity, host
// power, researcher rate), each with its source.
#pragma once

#include <string>

#include "sim/campaign/economics.hpp"

namespace trainsim::io {

[[nodiscard]] campaign::Economics parse_economics_defaults(const std::string& text, const std::string& file);
// platforms/economics.yaml of the data folder, loaded once per process.
[[nodiscard]] const campaign::Economics& default_economics();

}  // namespace trainsim::io
