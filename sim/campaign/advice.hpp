// The decision among candidate platforms (docs/advise.md): each candidate's campaign totals, its
// bottleneck, the Pareto frontier of wall time against total cost (with researcher time), which
// meet a deadline and a budget, and a ranking by an objective. Plain values; no simulation here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainsim::campaign {

enum class Objective { time, cost, cost_researcher, energy };
[[nodiscard]] std::optional<Objective> parse_objective(std::string_view s);  // time|cost|cost+researcher|energy
[[nodiscard]] std::string_view to_string(Objective o);

enum class Bottleneck { compute, exposed_comm, data_stall, memory_batch };
[[nodiscard]] std::string_view to_string(Bottleneck b);  // compute, exposed communication, data stall, memory-limited batch
[[nodiscard]] std::string_view json_name(Bottleneck b);  // compute, exposed_comm, data_stall, memory_batch

// Where a candidate's GPU time goes, summed over its runs (each run: GPUs x run time, split as its
// mean iteration splits), and how much of it runs at a batch cut down to fit the GPU's memory.
struct TimeSplit {
  double compute_gpu_h = 0;
  double exposed_comm_gpu_h = 0;
  double data_stall_gpu_h = 0;
  double memory_limited_gpu_h = 0;  // GPU hours of runs whose batch was replaced by the largest that fits
  double gpu_h = 0;                 // all of it
};

// Memory-limited batch when at least half the GPU hours run at a batch cut to fit memory (the batch
// the campaign asks for does not fit: the GPU is held back by its memory, whatever else it waits
// on); otherwise the largest of compute, exposed communication and data stall.
[[nodiscard]] Bottleneck bottleneck_of(const TimeSplit& s);

struct StageOutcome {
  std::string name;
  double hours = 0;
  std::optional<double> cost_usd;
};

struct Option {
  std::string name;         // the node
  std::string gpu;          // catalog name
  std::string gpu_display;
  int gpus = 0;
  std::string acquisition = "rent";  // rent | buy
  std::string price_source;
  std::optional<double> usd_per_gpu_hour;
  std::string error;        // empty when it ran
  double wall_hours = 0;
  double gpu_hours = 0;
  std::optional<double> cost_usd;        // compute: rent, or amortised purchase plus electricity
  double researcher_usd = 0;
  std::optional<double> total_cost_usd;  // cost + researcher
  double kwh = 0;
  double co2_kg = 0;
  TimeSplit split;
  Bottleneck bottleneck = Bottleneck::compute;
  std::vector<StageOutcome> stages;
  bool pareto = false;
  bool meets_deadline = false;
  bool meets_budget = false;
  int rank = 0;  // 1 = best; failed options rank last
  [[nodiscard]] bool ok() const { return error.empty(); }
};

struct Constraints {
  std::optional<double> deadline_hours;
  std::optional<double> budget_usd;  // against cost_usd (an option without a price meets no budget)
  Objective objective = Objective::cost_researcher;
};

// Marks the options that no other option beats on both wall time and total cost (no worse on
// both, better on one). Options that failed or have no price are never on the frontier.
void mark_pareto(std::vector<Option>& options);

// meets_deadline / meets_budget (true when no deadline / budget is set and the option ran).
void apply_constraints(std::vector<Option>& options, const Constraints& c);

// Sorts: options meeting both constraints first, then those meeting one, then neither, each group
// by the objective (an option without the figure the objective needs after those with it), failed
// options last in their original order; then numbers the ranks from 1. Stable: ties keep the
// candidates' order.
void rank_options(std::vector<Option>& options, Objective objective);

// The objective's figure of an option (none: the option lacks it).
[[nodiscard]] std::optional<double> objective_value(const Option& o, Objective objective);

// Among options that ran: the fastest whose cost is at most `max_cost` (any cost when none), and
// the cheapest that ends within `max_hours`. Null when there is none.
[[nodiscard]] const Option* fastest_within(const std::vector<Option>& options, std::optional<double> max_cost);
[[nodiscard]] const Option* cheapest_within(const std::vector<Option>& options, std::optional<double> max_hours);
// The option with the shortest / cheapest stage of this name (stage hours; stage cost).
[[nodiscard]] const Option* fastest_stage(const std::vector<Option>& options, const std::string& stage);
[[nodiscard]] const Option* cheapest_stage(const std::vector<Option>& options, const std::string& stage);

}  // namespace trainsim::campaign
