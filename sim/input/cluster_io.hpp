// Reading clusters: a map with a `cluster:` key (N nodes of a node preset, node file or inline
// node, and the network between them), in a cluster file (platforms/clusters/*.yaml or a path) or
// inline wherever a node may be written. The result is the cluster's flat NodeSpec.
#pragma once

#include <string>
#include <vector>

#include "sim/input/yaml.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim::io {

[[nodiscard]] std::vector<std::string> cluster_preset_names();
// platforms/clusters/NAME.yaml when it exists, else "".
[[nodiscard]] std::string cluster_preset_path(const std::string& name);

// `root` is the whole map (name, description, source, cluster). `base_dir`: where a node file
// named by a relative path is looked up first (the cluster file's folder).
[[nodiscard]] NodeSpec parse_cluster(const YNode& root, const Catalog& catalog, const std::string& name,
                                     const std::string& base_dir = {});

}  // namespace trainsim::io
