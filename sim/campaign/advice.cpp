#include "sim/campaign/advice.hpp"

#include <algorithm>
#include <array>

namespace trainsim::campaign {

namespace {

constexpr std::array<std::string_view, 4> kObjectives{"time", "cost", "cost+researcher", "energy"};

int group_of(const Option& o) {
  if (!o.ok()) return 3;
  return (o.meets_deadline ? 0 : 1) + (o.meets_budget ? 0 : 1);
}

const StageOutcome* stage_of(const Option& o, const std::string& name) {
  for (const auto& s : o.stages) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace

std::optional<Objective> parse_objective(std::string_view s) {
  for (std::size_t i = 0; i < kObjectives.size(); ++i) {
    if (kObjectives[i] == s) return static_cast<Objective>(i);
  }
  return std::nullopt;
}

std::string_view to_string(Objective o) { return kObjectives.at(static_cast<std::size_t>(o)); }

std::string_view to_string(Bottleneck b) {
  constexpr std::array<std::string_view, 4> names{"compute", "exposed communication", "data stall", "memory-limited batch"};
  return names.at(static_cast<std::size_t>(b));
}

std::string_view json_name(Bottleneck b) {
  constexpr std::array<std::string_view, 4> names{"compute", "exposed_comm", "data_stall", "memory_batch"};
  return names.at(static_cast<std::size_t>(b));
}

Bottleneck bottleneck_of(const TimeSplit& s) {
  if (s.gpu_h > 0 && s.memory_limited_gpu_h >= 0.5 * s.gpu_h) return Bottleneck::memory_batch;
  if (s.exposed_comm_gpu_h > s.compute_gpu_h && s.exposed_comm_gpu_h >= s.data_stall_gpu_h) return Bottleneck::exposed_comm;
  if (s.data_stall_gpu_h > s.compute_gpu_h && s.data_stall_gpu_h > s.exposed_comm_gpu_h) return Bottleneck::data_stall;
  return Bottleneck::compute;
}

void mark_pareto(std::vector<Option>& options) {
  for (auto& o : options) {
    o.pareto = false;
    if (!o.ok() || !o.total_cost_usd) continue;
    const bool beaten = std::any_of(options.begin(), options.end(), [&](const Option& p) {
      if (&p == &o || !p.ok() || !p.total_cost_usd) return false;
      const bool no_worse = p.wall_hours <= o.wall_hours && *p.total_cost_usd <= *o.total_cost_usd;
      const bool better = p.wall_hours < o.wall_hours || *p.total_cost_usd < *o.total_cost_usd;
      return no_worse && better;
    });
    o.pareto = !beaten;
  }
}

void apply_constraints(std::vector<Option>& options, const Constraints& c) {
  for (auto& o : options) {
    o.meets_deadline = o.ok() && (!c.deadline_hours || o.wall_hours <= *c.deadline_hours);
    o.meets_budget = o.ok() && (!c.budget_usd || (o.cost_usd && *o.cost_usd <= *c.budget_usd));
  }
}

std::optional<double> objective_value(const Option& o, Objective objective) {
  switch (objective) {
    case Objective::time: return o.wall_hours;
    case Objective::cost: return o.cost_usd;
    case Objective::cost_researcher: return o.total_cost_usd;
    case Objective::energy: return o.kwh;
  }
  return std::nullopt;
}

void rank_options(std::vector<Option>& options, Objective objective) {
  std::stable_sort(options.begin(), options.end(), [&](const Option& a, const Option& b) {
    const int ga = group_of(a), gb = group_of(b);
    if (ga != gb) return ga < gb;
    if (ga == 3) return false;
    const auto va = objective_value(a, objective), vb = objective_value(b, objective);
    if (va.has_value() != vb.has_value()) return va.has_value();
    if (va && *va != *vb) return *va < *vb;
    return a.wall_hours < b.wall_hours;  // equal figures: the faster first
  });
  for (std::size_t i = 0; i < options.size(); ++i) options[i].rank = static_cast<int>(i) + 1;
}

const Option* fastest_within(const std::vector<Option>& options, std::optional<double> max_cost) {
  const Option* best = nullptr;
  for (const auto& o : options) {
    if (!o.ok()) continue;
    if (max_cost && (!o.cost_usd || *o.cost_usd > *max_cost)) continue;
    if (best == nullptr || o.wall_hours < best->wall_hours) best = &o;
  }
  return best;
}

const Option* cheapest_within(const std::vector<Option>& options, std::optional<double> max_hours) {
  const Option* best = nullptr;
  for (const auto& o : options) {
    if (!o.ok() || !o.cost_usd) continue;
    if (max_hours && o.wall_hours > *max_hours) continue;
    if (best == nullptr || *o.cost_usd < *best->cost_usd) best = &o;
  }
  return best;
}

const Option* fastest_stage(const std::vector<Option>& options, const std::string& stage) {
  const Option* best = nullptr;
  double best_h = 0;
  for (const auto& o : options) {
    const StageOutcome* s = o.ok() ? stage_of(o, stage) : nullptr;
    if (s == nullptr) continue;
    if (best == nullptr || s->hours < best_h) {
      best = &o;
      best_h = s->hours;
    }
  }
  return best;
}

const Option* cheapest_stage(const std::vector<Option>& options, const std::string& stage) {
  const Option* best = nullptr;
  double best_c = 0;
  for (const auto& o : options) {
    const StageOutcome* s = o.ok() ? stage_of(o, stage) : nullptr;
    if (s == nullptr || !s->cost_usd) continue;
    if (best == nullptr || *s->cost_usd < best_c) {
      best = &o;
      best_c = *s->cost_usd;
    }
  }
  return best;
}

}  // namespace trainsim::campaign
