// Reading the GPU catalog (platforms/gpus.yaml) and finding the data folder.
#pragma once

#include <string>

#include "sim/hw/catalog.hpp"

namespace trainsim::io {

// The folder holding platforms/ and scenarios/: $TRAINSIM_DATA when set, else the build's default.
[[nodiscard]] std::string data_dir();
void set_default_data_dir(std::string dir);

[[nodiscard]] Catalog parse_catalog(const std::string& text, const std::string& file);
[[nodiscard]] Catalog load_catalog(const std::string& path);
// platforms/gpus.yaml of data_dir(), loaded once per process.
[[nodiscard]] const Catalog& default_catalog();

}  // namespace trainsim::io
