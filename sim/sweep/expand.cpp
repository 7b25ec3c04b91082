#include "sim/sweep/expand.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <exception>
#include <optional>

#include "sim/campaign/calibration_point.hpp"
#include "sim/input/campaign_io.hpp"
#include "sim/input/campaign_plan.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/input/yaml_edit.hpp"

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

// The campaign text of the base with the first `count` assignments set, and the point's platform
// whatever `count` (a prefix of a point is checked on the platform the point runs on).
std::string campaign_text(const io::SweepFile& f, const std::vector<io::SweepAssignment>& assignments, std::size_t count) {
  YAML::Node tree = io::clone(f.base);
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const auto& a = assignments[i];
    if (i >= count && a.path != "platform") continue;
    if (a.path == "platform") {  // the one platform the point runs on
      YAML::Node list(YAML::NodeType::Sequence);
      list.push_back(io::clone(a.value.value));
      tree["platforms"] = list;
    } else {
      io::set_path(tree, a.path, a.value.value, a.value.where);
    }
  }
  return io::to_text(tree);
}

// Checks a campaign text as `trainsim campaign` does before it runs anything, on its one platform.
void check_campaign(const std::string& text, const std::string& file, const SourceLocation& where, const Catalog& catalog) {
  const io::CampaignFile c = io::parse_campaign_text(text, file, catalog);
  if (c.platforms.size() != 1) {
    throw InputError(where, "platforms", std::to_string(c.platforms.size()) + " platforms",
                     "one platform per point: give the campaign one, or sweep `platform` (docs/sweeps.md)");
  }
  std::optional<io::CalibrationUse> use;
  if (c.calibration) {
    const campaign::Calibration cal = campaign::calibrate(*c.calibration, catalog);
    use = io::CalibrationUse{cal.point.model, cal.factor};
  }
  (void)io::plan_campaign(c, c.platforms, catalog, io::default_loader_costs(), use);
}

// Runs `parse(count)` for all of a point's assignments; when that fails, throws the error at the
// sweep file's location of the first value after which it fails (the base alone does not).
template <typename Parse>
auto blame_point(const SweepPoint& p, Parse parse) {
  try {
    return parse(p.assignments.size());
  } catch (const InputError& whole) {
    std::size_t culprit = p.assignments.size() - 1;
    for (std::size_t i = 1; i < p.assignments.size(); ++i) {
      try {
        (void)parse(i);
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

// Every point through `resolve` (in parallel); the error of the first failing point in order.
template <typename T, typename Resolve>
std::vector<T> resolve_all(const std::vector<SweepPoint>& points, Resolve resolve) {
  std::vector<std::optional<T>> out(points.size());
  std::vector<std::exception_ptr> errors(points.size());
  tbb::parallel_for(std::size_t{0}, points.size(), [&](std::size_t i) {
    try {
      out[i] = resolve(points[i]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<T> all;
  all.reserve(points.size());
  for (auto& s : out) all.push_back(std::move(*s));
  return all;
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
  Scenario s = blame_point(p, [&](std::size_t count) { return parse_with(f, p.assignments, count, catalog); });
  s.file = f.file + " point " + std::to_string(p.index);
  return s;
}

std::vector<Scenario> resolve_points(const io::SweepFile& f, const std::vector<SweepPoint>& points, const Catalog& catalog) {
  return resolve_all<Scenario>(points, [&](const SweepPoint& p) { return resolve_point(f, p, catalog); });
}

void check_campaign_base(const io::SweepFile& f, const Catalog& catalog) {
  // A base file is read again, so that its errors carry its own lines; an inline base is the
  // sweep file's, re-emitted (its errors name the `base:` key).
  if (f.base_file != f.file) {
    (void)io::load_campaign(f.base_file, catalog);
    return;
  }
  try {
    (void)io::parse_campaign_text(io::to_text(f.base), f.file, catalog);
  } catch (const InputError& e) {
    throw InputError(f.base_where, "base" + (e.key().empty() ? std::string() : "." + e.key()), e.value(), e.expected());
  }
}

std::vector<std::string> resolve_campaign_points(const io::SweepFile& f, const std::vector<SweepPoint>& points,
                                                 const Catalog& catalog) {
  const YAML::Node& base = f.base;
  const std::size_t base_platforms = base["platforms"].IsSequence() ? base["platforms"].size() : 0;
  return resolve_all<std::string>(points, [&](const SweepPoint& p) {
    const bool sets_platform = std::any_of(p.assignments.begin(), p.assignments.end(),
                                           [](const io::SweepAssignment& a) { return a.path == "platform"; });
    if (!sets_platform && base_platforms != 1) {
      throw InputError(f.base_where, "base", std::to_string(base_platforms) + " platforms",
                       "a campaign on one platform, since a sweep point runs on one: sweep `platform` "
                       "(axes: {platform: [1x-rtx3090, 4x-h100-sxm-nvswitch]}); in point " + std::to_string(p.index));
    }
    for (const auto& a : p.assignments) {  // the platform first: every check below runs on it
      if (a.path != "platform") continue;
      if (!a.value.value.IsScalar()) throw InputError(a.value.where, a.path, a.value.text, "a node preset or node file");
      (void)io::load_node(a.value.value.Scalar(), catalog, a.value.where, "platform");
    }
    return blame_point(p, [&](std::size_t count) {
      std::string text = campaign_text(f, p.assignments, count);
      const SourceLocation where = count > 0 ? p.assignments[count - 1].value.where : f.base_where;
      check_campaign(text, f.base_file, where, catalog);
      return text;
    });
  });
}

}  // namespace trainsim::sweep
