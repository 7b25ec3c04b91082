// A campaign on one platform as a project timeline: the runs placed on the node's GPUs (list
// scheduling), then hours, money, energy and carbon per run, per stage and in all.
//
//   run energy   = sum over its GPUs of [idle x T + busy x (TDP - idle)] + host x (GPUs / pool) x T
//   idle energy  = (pool x makespan - GPU-seconds held by runs) x (idle + host / pool)
//   cost         = price x GPU-hours held by runs (a GPU that no run holds is not billed)
//   researcher   = makespan x rate
//   CO2          = kWh x grid intensity
// Stages add up to the totals except the idle energy, which belongs to no stage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/campaign/economics.hpp"
#include "sim/campaign/schedule.hpp"

namespace trainsim::campaign {

// What the simulation of one run gave: its length and each of its GPUs' kernel time.
struct RunOutcome {
  int stage = 0;
  int index = 0;
  Seconds run_s = 0;
  std::vector<Seconds> gpu_busy_s;  // one per GPU the run holds
};

struct RunTotals {
  int stage = 0;
  int index = 0;
  PlacedRun placed;
  double gpu_hours = 0;
  std::optional<double> cost_usd;
  double energy_kwh = 0;
  double co2_kg = 0;
};

struct StageTotals {
  std::string name;
  int runs = 0;
  Seconds start = 0;
  Seconds end = 0;
  double gpu_hours = 0;
  std::optional<double> cost_usd;
  double energy_kwh = 0;
  double co2_kg = 0;
};

struct Timeline {
  std::vector<StageTotals> stages;  // in the campaign file's order
  std::vector<RunTotals> runs;      // in the outcomes' order
  Seconds makespan = 0;
  CriticalPath critical_path;       // over stage_lower_bounds: makespan >= its length
  double gpu_hours = 0;             // held by runs
  double idle_gpu_hours = 0;        // pool x makespan - gpu_hours
  std::optional<double> cost_usd;
  double researcher_cost_usd = 0;
  double energy_kwh = 0;            // runs + idle
  double idle_energy_kwh = 0;
  double co2_kg = 0;
};

[[nodiscard]] Timeline build_timeline(const std::vector<StageSpec>& stages, const StageGraph& graph,
                                      const std::vector<RunOutcome>& outcomes, const NodeEconomics& node,
                                      const Economics& economics);

}  // namespace trainsim::campaign
