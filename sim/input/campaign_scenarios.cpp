#include "sim/input/campaign_scenarios.hpp"

#include <cctype>

#include "sim/input/scenario_io.hpp"
#include "sim/input/yaml.hpp"
#include "sim/input/yaml_overlay.hpp"
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

// What one run's scenario is made of: the stage (without its runs), base and the run's overrides,
// each a tree of its own that build_run may change.
struct RunParts {
  YAML::Node stage;
  YAML::Node base;
  YAML::Node run;
};

// From a fresh parse of the whole file: every node keeps its line and column, at the cost of
// parsing the whole text (with every run of every stage) for one run.
RunParts parts_with_positions(const CampaignFile& c, std::size_t stage, std::size_t run) {
  const YAML::Node root = YAML::Load(c.text);
  RunParts p{child(child(root, "stages"), stage), child(root, "base"), YAML::Node()};
  if (const YAML::Node runs = child(p.stage, "runs"); runs.IsDefined() && runs.IsSequence()) p.run = child(runs, run);
  return p;
}

// Copies of the three parts alone, from one parse of the file: linear in the run's own size, but
// YAML::Clone drops positions (errors are then found again with parts_with_positions).
RunParts parts_copied(const YAML::Node& root, std::size_t stage, std::size_t run) {
  const YAML::Node sc = child(child(root, "stages"), stage);
  RunParts p;
  p.stage = YAML::Node(YAML::NodeType::Map);
  for (const auto& kv : sc) {
    if (!(kv.first.IsScalar() && kv.first.Scalar() == "runs")) p.stage.force_insert(YAML::Clone(kv.first), YAML::Clone(kv.second));
  }
  if (const YAML::Node runs = child(sc, "runs"); runs.IsDefined() && runs.IsSequence()) p.run = YAML::Clone(child(runs, run));
  if (const YAML::Node base = child(root, "base"); base.IsDefined()) p.base = YAML::Clone(base);
  return p;
}

Scenario build_run(const CampaignFile& c, RunParts parts, const std::string& platform, const std::string& gpu,
                   const Catalog& catalog, const std::optional<CalibrationUse>& calibration) {
  // The overlays below link nodes in place (keeping their positions): `parts` is this run's own.
  YAML::Node sc = parts.stage;
  const YAML::Node batches = child(sc, "batch_by_gpu");
  for (const char* key : {"name", "description", "after", "runs", "placement", "batch_by_gpu"}) sc.remove(key);
  if (const YAML::Node base = parts.base; base.IsDefined() && base.IsMap()) underlay(sc, base);
  if (batches.IsDefined() && batches.IsMap()) {
    if (const YAML::Node b = child(batches, gpu); b.IsDefined()) put(workload_of(sc), "batch_per_gpu", b);
  }
  if (parts.run.IsDefined()) overlay(sc, parts.run);
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

Scenario campaign_run_scenario(const CampaignFile& c, std::size_t stage, std::size_t run, const std::string& platform,
                               const std::string& gpu, const Catalog& catalog,
                               const std::optional<CalibrationUse>& calibration) {
  return build_run(c, parts_with_positions(c, stage, run), platform, gpu, catalog, calibration);
}

std::vector<std::vector<Scenario>> campaign_scenarios(const CampaignFile& c, const std::string& platform,
                                                      const std::string& gpu, const Catalog& catalog,
                                                      const std::optional<CalibrationUse>& calibration) {
  // A fresh parse of the whole file for each run made a list of 10,000 runs quadratic (minutes):
  // runs are built from copies of their parts, and a run whose scenario is wrong is built again
  // from a fresh parse, so that its error names the line and column.
  const YAML::Node root = YAML::Load(c.text);
  std::vector<std::vector<Scenario>> out(c.stages.size());
  for (std::size_t s = 0; s < c.stages.size(); ++s) {
    for (int r = 0; r < c.stages[s].runs; ++r) {
      const auto run = static_cast<std::size_t>(r);
      try {
        out[s].push_back(build_run(c, parts_copied(root, s, run), platform, gpu, catalog, calibration));
      } catch (const InputError&) {
        out[s].push_back(campaign_run_scenario(c, s, run, platform, gpu, catalog, calibration));
      }
    }
  }
  return out;
}

}  // namespace trainsim::io
