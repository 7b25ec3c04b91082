// Reader of platforms/datasets.yaml: named training sets (images, stored size, bytes, text
// instances per image) that `workload.dataset: NAME` or `{like: NAME, ...}` refers to.
#pragma once

#include <map>
#include <string>

#include "sim/engine/scenario.hpp"

namespace trainsim::io {

// Throws InputError (file:line:column) on a malformed file.
[[nodiscard]] std::map<std::string, DatasetSpec> parse_dataset_presets(const std::string& text, const std::string& file);

// platforms/datasets.yaml of data_dir(), read once per process.
[[nodiscard]] const std::map<std::string, DatasetSpec>& dataset_presets();

}  // namespace trainsim::io
