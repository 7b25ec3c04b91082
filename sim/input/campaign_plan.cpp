#include "sim/input/campaign_plan.hpp"

#include <algorithm>
#include <map>

#include "sim/input/node_io.hpp"
#include "sim/input/scenario_io.hpp"

namespace trainsim::io {

namespace {

std::string group_safe(std::string name) {
  std::replace(name.begin(), name.end(), '/', '_');
  return name.empty() ? std::string("node") : name;
}

// fit_batch on a scenario of campaign_scenarios, which has lost its positions: when it fails, the
// run is built again with them, so that the error names the campaign file's line and column.
campaign::FittedRun fit(const Scenario& sc, const io::CampaignFile& c, std::size_t stage, std::size_t run,
                        const std::string& platform, const std::string& gpu, const Catalog& catalog,
                        const LoaderCosts& loader, const std::optional<io::CalibrationUse>& calibration) {
  try {
    return campaign::fit_batch(sc, catalog, loader);
  } catch (const InputError&) {
    Scenario placed = io::campaign_run_scenario(c, stage, run, platform, gpu, catalog, calibration);
    if (c.stages[stage].placement == campaign::Placement::packed) placed = campaign::gpu_slice(placed);
    return campaign::fit_batch(placed, catalog, loader);
  }
}

}  // namespace

CampaignPlan plan_campaign(const io::CampaignFile& c, const std::vector<io::CampaignPlatform>& platforms,
                           const Catalog& catalog, const LoaderCosts& loader,
                           const std::optional<io::CalibrationUse>& calibration) {
  CampaignPlan plan;
  for (const auto& ref : platforms) {
    PlatformPlan p;
    p.ref = ref.node;
    p.node = io::load_node(ref.node, catalog, ref.where, "platform");
    p.name = group_safe(p.node.name);
    for (const auto& other : plan.platforms) {
      if (other.name == p.name) throw InputError(ref.where, "platform", ref.node, "each platform once");
    }
    p.gpus = 0;
    for (const auto& v : p.node.vertices) {
      if (v.kind == VertexKind::gpu) {
        if (p.gpu == nullptr) p.gpu = &catalog.gpu(v.gpu, v.where);
        ++p.gpus;
      }
    }
    if (p.gpu == nullptr) throw InputError(ref.where, "platform", ref.node, "a node with GPUs");
    const auto scenarios = io::campaign_scenarios(c, ref.node, p.gpu->name, catalog, calibration);
    std::map<std::string, int> simulation_of;  // resolved scenario text -> simulation
    std::map<std::string, campaign::FittedRun> fitted_of;
    const int platform_index = static_cast<int>(plan.platforms.size());
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const campaign::StageSpec& stage = c.stages[s];
      std::vector<PlannedRun> runs;
      for (std::size_t r = 0; r < scenarios[s].size(); ++r) {
        const Scenario sc = stage.placement == campaign::Placement::packed ? campaign::gpu_slice(scenarios[s][r]) : scenarios[s][r];
        const std::string asked = io::scenario_to_yaml(sc);
        auto fit = fitted_of.find(asked);
        if (fit == fitted_of.end()) {
          fit = fitted_of.emplace(asked, io::fit(sc, c, s, r, ref.node, p.gpu->name, catalog, loader, calibration)).first;
        }
        PlannedRun run{fit->second, stage.runs == 1 ? stage.name : stage.name + "-" + std::to_string(r + 1), -1};
        if (run.fitted.fallback) {
          const std::string note = stage.name + ": " + *run.fitted.fallback;
          if (std::find(p.notes.begin(), p.notes.end(), note) == p.notes.end()) p.notes.push_back(note);
        }
        const std::string key = io::scenario_to_yaml(run.fitted.scenario);
        auto sim = simulation_of.find(key);
        if (sim == simulation_of.end()) {
          sim = simulation_of.emplace(key, static_cast<int>(plan.simulations.size())).first;
          // Collectives make a multi-GPU iteration cost roughly GPUs^2 times the events of a one-GPU one.
          const double gpus = run.fitted.gpus;
          plan.simulations.push_back(Simulation{run.fitted.scenario, platform_index, run.name,
                                                static_cast<double>(run.fitted.iterations) * gpus * gpus});
          ++p.simulated;
        }
        run.simulation = sim->second;
        ++p.runs;
        runs.push_back(std::move(run));
      }
      p.stages.push_back(std::move(runs));
    }
    plan.platforms.push_back(std::move(p));
  }
  return plan;
}

}  // namespace trainsim::io
