#include "sim/sweep/expand.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <exception>
#include <optional>

#include "sim/io/scenario_io.hpp"
#include "sim/io/yaml_edit.hpp"

namespace trainsim::sweep {

namespace {

Scenario parse_with(const io::SweepFile& f, const std::vector<io::SweepAssignment>& assignments, std::size_t count,
                    const Catalog& catalog) {
  YAML::Node tree = io::clone(f.base);
  for (std::size_t i = 0; i < count; ++i) {
    io::set_path(tree, assignments[i].path, assignments[i].value.value, assignments[i].value.where);
  }
  return io::parse_scenario(io::YNode(tree, f.base_file, ""), catalog);
}

}  // namespace

std::vector<std::string> axis_columns(const io::SweepFile& f) {
  std::vector<std::string> out;
  for (const auto& point : f.points) {
    for (const auto& a : point) {
      if (std::find(out.begin(), out.end(), a.path) == out.end()) out.push_back(a.path);
    }
  }
  for (const auto& a : f.axes) out.push_back(a.path);
  return out;
}

std::vector<SweepPoint> expand(const io::SweepFile& f) {
  const std::vector<std::vector<io::SweepAssignment>> explicit_points =
      f.points.empty() ? std::vector<std::vector<io::SweepAssignment>>{{}} : f.points;
  std::vector<SweepPoint> out;
  for (const auto& point : explicit_points) {
    std::vector<std::size_t> at(f.axes.size(), 0);  // an odometer over the axes, the last fastest
    while (true) {
      SweepPoint p;
      p.index = static_cast<long long>(out.size());
      p.assignments = point;
      for (std::size_t a = 0; a < f.axes.size(); ++a) p.assignments.push_back({f.axes[a].path, f.axes[a].values[at[a]]});
      out.push_back(std::move(p));
      std::size_t a = f.axes.size();
      while (a > 0 && ++at[a - 1] == f.axes[a - 1].values.size()) at[--a] = 0;
      if (a == 0) break;
    }
  }
  return out;
}

Scenario resolve_base(const io::SweepFile& f, const Catalog& catalog) {
  // The base itself, not a clone: a clone has lost the line and column its errors need.
  Scenario s = io::parse_scenario(io::YNode(f.base, f.base_file, ""), catalog);
  s.file = f.base_file;
  return s;
}

Scenario resolve_point(const io::SweepFile& f, const SweepPoint& p, const Catalog& catalog) {
  try {
    Scenario s = parse_with(f, p.assignments, p.assignments.size(), catalog);
    s.file = f.file + " point " + std::to_string(p.index);
    return s;
  } catch (const InputError& whole) {
    // Blame the first value after which the scenario no longer parses (the base alone does).
    std::size_t culprit = p.assignments.size() - 1;
    for (std::size_t i = 1; i < p.assignments.size(); ++i) {
      try {
        (void)parse_with(f, p.assignments, i, catalog);
      } catch (const InputError&) {
        culprit = i - 1;
        break;
      }
    }
    const io::SweepAssignment& a = p.assignments[culprit];
    std::string inner = whole.expected();
    const bool same_key = whole.key() == a.path || a.path.ends_with("." + whole.key());
    if (!whole.key().empty() && !same_key) {
      inner += " (at " + whole.key() + (whole.value().empty() ? "" : " = '" + whole.value() + "'") + ")";
    }
    throw InputError(a.value.where, a.path, a.value.text, inner + "; in point " + std::to_string(p.index));
  }
}

std::vector<Scenario> resolve_points(const io::SweepFile& f, const std::vector<SweepPoint>& points, const Catalog& catalog) {
  std::vector<std::optional<Scenario>> out(points.size());
  std::vector<std::exception_ptr> errors(points.size());
  tbb::parallel_for(std::size_t{0}, points.size(), [&](std::size_t i) {
    try {
      out[i] = resolve_point(f, points[i], catalog);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<Scenario> scenarios;
  scenarios.reserve(points.size());
  for (auto& s : out) scenarios.push_back(std::move(*s));
  return scenarios;
}

}  // namespace trainsim::sweep
