#include "sim/sweep/points_table.hpp"

#include <cstdint>
#include <limits>
#include <optional>

namespace trainsim::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const io::SweepValue* value_of(const SweepPoint& p, const std::string& column) {
  for (const auto& a : p.assignments) {
    if (a.path == column) return &a.value;
  }
  return nullptr;
}

io::ColumnValues axis_column(const std::string& column, const std::vector<SweepPoint>& points) {
  bool all_set = true, all_int = true, all_number = true;
  for (const auto& p : points) {
    const io::SweepValue* v = value_of(p, column);
    if (v == nullptr) {
      all_set = false;
      continue;
    }
    all_int = all_int && v->is_integer;
    all_number = all_number && v->is_number;
  }
  if (all_set && all_int) {
    std::vector<std::int64_t> out;
    for (const auto& p : points) out.push_back(std::stoll(value_of(p, column)->text));
    return out;
  }
  if (all_number) {
    std::vector<double> out;
    for (const auto& p : points) {
      const io::SweepValue* v = value_of(p, column);
      out.push_back(v == nullptr ? kNaN : std::stod(v->text));
    }
    return out;
  }
  std::vector<std::string> out;
  for (const auto& p : points) {
    const io::SweepValue* v = value_of(p, column);
    out.push_back(v == nullptr ? "" : v->text);
  }
  return out;
}

io::ColumnTable first_columns(const std::vector<std::string>& columns, const std::vector<SweepPoint>& points,
                              const std::vector<PointOutcome>& outcomes) {
  std::vector<std::int64_t> index;
  std::vector<std::string> status, error;
  for (std::size_t i = 0; i < points.size(); ++i) {
    index.push_back(points[i].index);
    status.push_back(outcomes.at(i).status);
    error.push_back(outcomes.at(i).error);
  }
  io::ColumnTable t;
  t.add("point", std::move(index)).add("status", std::move(status)).add("error", std::move(error));
  for (const auto& c : columns) t.add(c, axis_column(c, points));
  return t;
}

// The metric columns of the points that succeeded (NaN, -1 or "" for the others); `of` picks
// what a point's metrics are read from (its run summary, its campaign totals).
template <typename Of>
struct Metrics {
  const std::vector<PointOutcome>& outcomes;
  Of of;

  template <typename F>
  [[nodiscard]] std::vector<std::string> text(F field) const {
    std::vector<std::string> v;
    for (const auto& o : outcomes) v.push_back(o.ok() ? std::string(field(of(o))) : std::string());
    return v;
  }
  template <typename F>
  [[nodiscard]] std::vector<std::int64_t> integer(F field) const {
    std::vector<std::int64_t> v;
    for (const auto& o : outcomes) v.push_back(o.ok() ? static_cast<std::int64_t>(field(of(o))) : -1);
    return v;
  }
  template <typename F>
  [[nodiscard]] std::vector<double> real(F field) const {
    std::vector<double> v;
    for (const auto& o : outcomes) v.push_back(o.ok() ? static_cast<double>(field(of(o))) : kNaN);
    return v;
  }
};

template <typename Of>
Metrics<Of> metrics(const std::vector<PointOutcome>& outcomes, Of of) {
  return Metrics<Of>{outcomes, of};
}

}  // namespace

io::ColumnTable points_table(const std::vector<std::string>& columns, const std::vector<SweepPoint>& points,
                             const std::vector<PointOutcome>& outcomes) {
  io::ColumnTable t = first_columns(columns, points, outcomes);
  const auto m = metrics(outcomes, [](const PointOutcome& o) -> const RunSummary& { return o.summary; });
  const auto text = [&](auto f) { return m.text(f); };
  const auto integer = [&](auto f) { return m.integer(f); };
  const auto real = [&](auto f) { return m.real(f); };
  t.add("gpu", text([](const RunSummary& s) { return s.gpu; }));
  t.add("gpus", integer([](const RunSummary& s) { return s.gpus; }));
  t.add("batch_per_gpu", integer([](const RunSummary& s) { return s.batch_per_gpu; }));
  t.add("algorithm", text([](const RunSummary& s) { return s.algorithm; }));
  t.add("images_per_s", real([](const RunSummary& s) { return s.images_per_s; }));
  t.add("iteration_mean_s", real([](const RunSummary& s) { return s.iteration_mean; }));
  t.add("iteration_p50_s", real([](const RunSummary& s) { return s.iteration_p50; }));
  t.add("iteration_p99_s", real([](const RunSummary& s) { return s.iteration_p99; }));
  t.add("compute_s", real([](const RunSummary& s) { return s.compute; }));
  t.add("exposed_comm_s", real([](const RunSummary& s) { return s.exposed_comm; }));
  t.add("data_stall_s", real([](const RunSummary& s) { return s.data_stall; }));
  t.add("epoch_s", real([](const RunSummary& s) { return s.epoch_s; }));
  t.add("run_s", real([](const RunSummary& s) { return s.run_s; }));
  t.add("iterations", integer([](const RunSummary& s) { return s.iterations; }));
  t.add("iterations_replayed", integer([](const RunSummary& s) { return s.iterations_replayed; }));
  t.add("iteration_mean_ci_s", real([](const RunSummary& s) { return s.iteration_mean_ci; }));
  t.add("epoch_ci_s", real([](const RunSummary& s) { return s.epoch_ci; }));
  t.add("run_ci_s", real([](const RunSummary& s) { return s.run_ci; }));
  return t;
}

io::ColumnTable campaign_points_table(const std::vector<std::string>& columns, const std::vector<SweepPoint>& points,
                                      const std::vector<PointOutcome>& outcomes) {
  io::ColumnTable t = first_columns(columns, points, outcomes);
  using T = io::CampaignTotals;
  const auto m = metrics(outcomes, [](const PointOutcome& o) -> const T& { return o.campaign; });
  const auto text = [&](auto f) { return m.text(f); };
  const auto integer = [&](auto f) { return m.integer(f); };
  const auto real = [&](auto f) { return m.real(f); };
  t.add("node", text([](const T& c) { return c.platform; }));
  t.add("gpu", text([](const T& c) { return c.gpu; }));
  t.add("gpus", integer([](const T& c) { return c.gpus; }));
  t.add("wall_hours", real([](const T& c) { return c.wall_hours; }));
  t.add("gpu_hours", real([](const T& c) { return c.gpu_hours; }));
  t.add("idle_gpu_hours", real([](const T& c) { return c.idle_gpu_hours; }));
  t.add("cost_usd", real([](const T& c) { return c.cost_usd; }));
  t.add("researcher_cost_usd", real([](const T& c) { return c.researcher_cost_usd; }));
  t.add("energy_kwh", real([](const T& c) { return c.energy_kwh; }));
  t.add("co2_kg", real([](const T& c) { return c.co2_kg; }));
  t.add("runs", integer([](const T& c) { return c.runs; }));
  t.add("simulated", integer([](const T& c) { return c.simulated; }));
  return t;
}

}  // namespace trainsim::sweep
