#include "sim/campaign/timeline.hpp"

#include <algorithm>

#include "sim/model/power.hpp"

namespace trainsim::campaign {

namespace {

constexpr double kSecondsPerHour = 3600;

}  // namespace

Timeline build_timeline(const std::vector<StageSpec>& stages, const StageGraph& graph,
                        const std::vector<RunOutcome>& outcomes, const NodeEconomics& node, const Economics& economics) {
  std::vector<RunJob> jobs;
  for (const auto& o : outcomes) {
    jobs.push_back(RunJob{o.stage, o.index, static_cast<int>(o.gpu_busy_s.size()), o.run_s});
  }
  const Schedule schedule = list_schedule(graph, jobs, node.gpus);
  Timeline t;
  t.makespan = schedule.makespan;
  t.critical_path = longest_path(graph, stage_lower_bounds(graph.size(), jobs, node.gpus));
  for (const auto& s : stages) {
    StageTotals st;
    st.name = s.name;
    t.stages.push_back(st);
  }
  if (node.price) {
    t.cost_usd = 0.0;
    for (auto& s : t.stages) s.cost_usd = 0.0;
  }
  std::vector<bool> seen(stages.size(), false);
  const Watts host_per_gpu = node.host_w / node.gpus;
  double gpu_seconds = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const RunOutcome& o = outcomes[i];
    RunTotals r;
    r.stage = o.stage;
    r.index = o.index;
    r.placed = schedule.runs[i];
    const auto gpus = static_cast<double>(o.gpu_busy_s.size());
    Joules joules = host_per_gpu * gpus * o.run_s;
    for (Seconds busy : o.gpu_busy_s) joules += gpu_energy_j(node.gpu_idle_w, node.gpu_tdp_w, busy, o.run_s);
    gpu_seconds += gpus * o.run_s;
    r.gpu_hours = gpus * o.run_s / kSecondsPerHour;
    if (node.price) r.cost_usd = r.gpu_hours * node.price->usd_per_gpu_hour;
    r.energy_kwh = joules / kJoulesPerKwh;
    r.co2_kg = kwh_to_co2_kg(r.energy_kwh, economics.carbon_kg_per_kwh);

    StageTotals& s = t.stages.at(static_cast<std::size_t>(o.stage));
    const auto k = static_cast<std::size_t>(o.stage);
    s.start = seen[k] ? std::min(s.start, r.placed.start) : r.placed.start;
    s.end = seen[k] ? std::max(s.end, r.placed.end) : r.placed.end;
    seen[k] = true;
    ++s.runs;
    s.gpu_hours += r.gpu_hours;
    if (r.cost_usd) *s.cost_usd += *r.cost_usd;
    s.energy_kwh += r.energy_kwh;
    s.co2_kg += r.co2_kg;
    t.gpu_hours += r.gpu_hours;
    if (r.cost_usd) *t.cost_usd += *r.cost_usd;
    t.energy_kwh += r.energy_kwh;
    t.runs.push_back(std::move(r));
  }
  const Seconds idle_gpu_s = std::max(0.0, node.gpus * t.makespan - gpu_seconds);
  t.idle_gpu_hours = idle_gpu_s / kSecondsPerHour;
  t.idle_energy_kwh = idle_gpu_s * (node.gpu_idle_w + host_per_gpu) / kJoulesPerKwh;
  t.energy_kwh += t.idle_energy_kwh;
  t.co2_kg = kwh_to_co2_kg(t.energy_kwh, economics.carbon_kg_per_kwh);
  t.researcher_cost_usd = t.makespan / kSecondsPerHour * economics.researcher_usd_per_hour;
  return t;
}

}  // namespace trainsim::campaign
