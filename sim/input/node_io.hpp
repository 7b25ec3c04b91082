// Reading node files (platforms/nodes/*.yaml, compact or full form) and node references: a preset
// name, a path, or an inline map inside a scenario.
#pragma once

#include <string>
#include <vector>

#include "sim/input/yaml.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim::io {

[[nodiscard]] std::vector<std::string> preset_names();

// A node map in either form. `name` names the node when the map has no `name:`.
[[nodiscard]] NodeSpec parse_node(const YNode& node, const Catalog& catalog, const std::string& name);
[[nodiscard]] CompactNodeSpec parse_compact_node(const YNode& node);

// A preset name (platforms/nodes/NAME.yaml) or a path to a node file.
[[nodiscard]] NodeSpec load_node(const std::string& name_or_path, const Catalog& catalog,
                                 const SourceLocation& where = {}, const std::string& key = "node");
// The first preset (in name order) of compact form with this GPU, count and interconnect; throws
// InputError at `where` when there is none.
[[nodiscard]] std::string find_preset(const std::string& gpu, int count, Interconnect interconnect,
                                      const SourceLocation& where = {});
// The text of a node reference: the file's YAML (for scenarios that record what ran).
[[nodiscard]] std::string node_file_path(const std::string& name_or_path, const SourceLocation& where = {},
                                         const std::string& key = "node");

// The full form of a node as YAML, readable by load_node (`trainsim topo --output`, scenarios that
// record what ran).
[[nodiscard]] std::string node_to_yaml(const NodeSpec& node);

}  // namespace trainsim::io
