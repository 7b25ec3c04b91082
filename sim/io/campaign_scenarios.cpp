#include "sim/io/campaign_scenarios.hpp"

#include <cctype>

#include "sim/io/scenario_io.hpp"
#include "sim/io/yaml.hpp"
#include "sim/io/yaml_overlay.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

// Const lookups: yaml-cpp's non-const operator[] may insert.
YAML::Node child(const YAML::Node& n, const std::string& key) {
  const YAML::Node& c = n;
  return c[key];
}

YAML::Node child(const YAML::Node& n, std::size_t i) {
  const YAML::Node& c = n;
  return c[i];
}

// The stage's workload map, created when neither the stage nor base has one (parsing then says
// what is missing).
YAML::Node workload_of(YAML::Node scenario) {
  YAML::Node w = child(scenario, "workload");
  if (w.IsDefined() && w.IsMap()) return w;
  put(scenario, "workload", YAML::Node(YAML::NodeType::Map));
  return child(scenario, "workload");
}

Scenario build_run(const CampaignFile& c, std::size_t stage, std::size_t run, const std::string& platform,
                   const std::string& gpu, const Catalog& catalog, const std::optional<CalibrationUse>& calibration) {
  // A fresh parse for every run: the overlays below link nodes in place (keeping their positions).
  const YAML::Node root = YAML::Load(c.text);
  YAML::Node sc = child(child(root, "stages"), stage);
  const YAML::Node runs = child(sc, "runs");
  const YAML::Node batches = child(sc, "batch_by_gpu");
  for (const char* key : {"name", "description", "after", "runs", "placement", "batch_by_gpu"}) sc.remove(key);
  if (const YAML::Node base = child(root, "base"); base.IsDefined() && base.IsMap()) underlay(sc, base);
  if (batches.IsDefined() && batches.IsMap()) {
    if (const YAML::Node b = child(batches, gpu); b.IsDefined()) put(workload_of(sc), "batch_per_gpu", b);
  }
  if (runs.IsDefined() && runs.IsSequence()) overlay(sc, child(runs, run));
  if (calibration) {
    YAML::Node w = child(sc, "workload");
    const YAML::Node model = w.IsDefined() && w.IsMap() ? child(w, "model") : YAML::Node();
    if (model.IsDefined() && model.IsScalar() && canonical_model_name(model.Scalar()) == canonical_model_name(calibration->model) &&
        !child(w, "calibration").IsDefined()) {
      put(w, "calibration", YAML::Node(format_double(calibration->factor)));
    }
  }
  put(sc, "platform", YAML::Node(platform));
  return parse_scenario(YNode(sc, c.file, ""), catalog);
}

}  // namespace

std::string canonical_model_name(const std::string& name) {
  std::string out;
  for (char ch : name) out += ch == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::vector<std::vector<Scenario>> campaign_scenarios(const CampaignFile& c, const std::string& platform,
                                                      const std::string& gpu, const Catalog& catalog,
                                                      const std::optional<CalibrationUse>& calibration) {
  std::vector<std::vector<Scenario>> out(c.stages.size());
  for (std::size_t s = 0; s < c.stages.size(); ++s) {
    for (int r = 0; r < c.stages[s].runs; ++r) {
      out[s].push_back(build_run(c, s, static_cast<std::size_t>(r), platform, gpu, catalog, calibration));
    }
  }
  return out;
}

}  // namespace trainsim::io
