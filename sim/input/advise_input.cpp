#include "sim/input/advise_input.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <iostream>
#include <iterator>

#include "sim/input/scenario_io.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

CampaignFile load_campaign_or_scenario(const std::string& path, const Catalog& catalog) {
  const std::string text = path == "-" ? std::string{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}
                                       : read_text_file(path, "a campaign or scenario file");
  const std::string name = path == "-" ? "<stdin>" : path;
  const YNode root = YNode::parse(text, name);
  if (root.is_map() && root.has("stages")) return path == "-" ? parse_campaign_text(text, name, catalog) : load_campaign(path, catalog);
  (void)parse_scenario_text(text, name, catalog);  // its own errors, at its own lines
  YAML::Node base(YAML::NodeType::Map);
  for (const std::string& key : campaign_scenario_keys()) {
    if (root.has(key)) base[key] = YAML::Clone(root.get(key).raw());
  }
  YAML::Node c(YAML::NodeType::Map);
  c["name"] = path == "-" ? std::string("scenario") : std::filesystem::path(path).stem().string();
  c["base"] = base;
  YAML::Node stage(YAML::NodeType::Map);
  stage["name"] = "run";
  c["stages"].push_back(stage);
  YAML::Emitter e;
  e << c;
  return parse_campaign_text(e.c_str(), name + " (as a one-stage campaign)", catalog);
}

}  // namespace trainsim::io
