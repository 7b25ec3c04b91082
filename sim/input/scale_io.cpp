#include "sim/input/scale_io.hpp"

#include <filesystem>

#include "sim/input/cluster_io.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/input/yaml_edit.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

Scenario scenario_on_cluster(const std::string& scenario_path, const std::string& cluster, int nodes,
                             const Catalog& catalog) {
  namespace fs = std::filesystem;
  (void)load_scenario(scenario_path, catalog);  // its own errors, with its own lines
  std::string path = cluster_preset_path(cluster);
  std::error_code ec;
  if (path.empty()) path = cluster;
  if (!fs::is_regular_file(path, ec)) {
    throw InputError({}, "--cluster", cluster, "a cluster preset (" + std::to_string(cluster_preset_names().size()) +
                                                   " in platforms/clusters, e.g. 16x-dgx-h100) or a cluster file");
  }
  YAML::Node file = YAML::Load(read_text_file(path, "a cluster file"));
  if (!file.IsMap() || !file["cluster"] || !file["cluster"].IsMap()) {
    throw InputError({path, 0, 0}, "cluster", "", "a cluster file: a map with a `cluster:` map (docs/platforms.md)");
  }
  YAML::Node c = clone(file["cluster"]);
  c["nodes"] = nodes;
  // A node file named relative to the cluster file: absolute, since the scenario lives elsewhere.
  if (c["node"] && c["node"].IsScalar()) {
    const fs::path rel = fs::path(path).parent_path() / c["node"].as<std::string>();
    if (fs::path(c["node"].as<std::string>()).is_relative() && fs::is_regular_file(rel, ec)) {
      c["node"] = fs::absolute(rel).string();
    }
  }
  YAML::Node root = YAML::Load(read_text_file(scenario_path, "a scenario file"));
  YAML::Node platform(YAML::NodeType::Map);
  platform["cluster"] = c;
  root["platform"] = platform;
  return parse_scenario_text(to_text(root), scenario_path, catalog);
}

}  // namespace trainsim::io
