// Editing YAML trees before they are parsed: campaigns lay stage overrides over a base, sweeps set
// values at key paths. Locations survive: nodes that come from a file keep their marks.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sim/input/yaml.hpp"

namespace trainsim::io {

// A copy of `base` with `over` laid on top: maps merge key by key (recursively), anything else in
// `over` replaces what `base` has. Neither input changes.
[[nodiscard]] YAML::Node deep_merge(const YAML::Node& base, const YAML::Node& over);

// "workload.dataloader.workers_per_gpu" -> {"workload", "dataloader", "workers_per_gpu"}.
[[nodiscard]] std::vector<std::string> split_key_path(const std::string& path);

// Sets `value` at `path` in `root` (a map), creating intermediate maps. A string `platform` that
// names a compact preset is first replaced by the preset's map, so that platform.count,
// platform.interconnect, platform.pcie.gen... can be set on a preset. A list of maps with `name:`
// keys is entered by name: stages.hrnet.run.epochs sets run.epochs in the stage named hrnet.
// Throws InputError (at `where`) when the path crosses a value that is neither a map nor such a
// list, or names no entry of the list.
void set_path(YAML::Node& root, const std::string& path, const YAML::Node& value, const SourceLocation& where);

// A deep copy (yaml-cpp nodes share their data when copied).
[[nodiscard]] YAML::Node clone(const YAML::Node& n);

// The YAML text of a node (block style), e.g. to write a resolved file.
[[nodiscard]] std::string to_text(const YAML::Node& n);

}  // namespace trainsim::io
