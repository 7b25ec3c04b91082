#include "sim/input/sweep_io.hpp"

#include <cctype>
#include <filesystem>

#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

namespace fs = std::filesystem;

constexpr const char* kKeyPath = "a scenario key path like workload.batch_per_gpu (letters, digits, _ between dots)";

bool valid_part(const std::string& p) {
  if (p.empty()) return false;
  for (const char c : p) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

void check_key_path(const std::string& path, const SourceLocation& where, const std::string& key) {
  const auto parts = split(path, '.');
  bool ok = !parts.empty();
  for (const auto& p : parts) ok = ok && valid_part(p);
  if (!ok) throw InputError(where, key, path, kKeyPath);
}

std::string flow_text(const YAML::Node& n) {
  YAML::Emitter e;
  e << YAML::Flow << n;
  return e.c_str();
}

SweepValue make_value(const YNode& n) {
  SweepValue v;
  v.value = YAML::Clone(n.raw());
  v.where = n.where();
  if (n.is_scalar()) {
    v.text = n.raw().Scalar();
    const std::string& s = v.text;
    std::size_t used = 0;
    try {
      (void)std::stod(s, &used);
      v.is_number = used == s.size() && s.find_first_not_of("0123456789+-.eE") == std::string::npos;
    } catch (const std::exception&) {
      v.is_number = false;
    }
    v.is_integer = v.is_number && s.find_first_of(".eE") == std::string::npos;
  } else {
    v.text = flow_text(n.raw());
  }
  return v;
}

// The key of a map entry, where it is written.
SourceLocation key_where(const YNode& map, const YAML::const_iterator& it) {
  return {map.file(), it->first.Mark().line + 1, it->first.Mark().column + 1};
}

void load_base(const YNode& root, SweepFile& f) {
  const YNode b = root.require("base", "a scenario or a campaign: a map, or the path of a scenario or campaign file (relative to this file)");
  f.base_where = b.where();
  if (b.is_map()) {
    // Not a copy: YAML::Clone drops the positions that the base's own errors name. Nothing edits
    // f.base in place (each point edits its own clone).
    f.base = b.raw();
    f.base_file = f.file;
    f.campaign = static_cast<const YAML::Node&>(f.base)["stages"].IsDefined();
    return;
  }
  if (!b.is_scalar()) throw b.error("a scenario or a campaign: a map, or the path of a scenario or campaign file (relative to this file)");
  fs::path path = b.raw().Scalar();
  if (path.is_relative()) path = fs::path(f.file).parent_path() / path;
  std::string text;
  try {
    text = read_text_file(path.string(), "a scenario file");
  } catch (const InputError& e) {
    throw InputError(b.where(), "base", b.raw().Scalar(), "a readable scenario or campaign file (" + path.string() + ": " + e.expected() + ")");
  }
  const YNode parsed = YNode::parse(text, path.string());
  if (!parsed.is_map()) throw parsed.error("a scenario (a map with platform, workload, run) or a campaign (a map with stages)");
  f.base = parsed.raw();
  f.base_file = path.string();
  f.campaign = static_cast<const YAML::Node&>(f.base)["stages"].IsDefined();
}

void load_axes(const YNode& root, SweepFile& f) {
  const YNode axes = root.get("axes");
  if (!axes.defined()) {
    if (root.has("axes")) throw axes.error("(empty)", "at least one axis: key path -> list of values");
    return;
  }
  axes.expect_map("a map: key path -> list of values");
  if (axes.raw().size() == 0) throw axes.error("{}", "at least one axis: key path -> list of values");
  for (auto it = axes.raw().begin(); it != axes.raw().end(); ++it) {
    SweepAxis a;
    a.where = key_where(axes, it);
    a.path = it->first.IsScalar() ? it->first.Scalar() : "?";
    check_key_path(a.path, a.where, "axes");
    const YNode list = axes.get(a.path);
    const std::string expected = "a non-empty list of values for " + a.path + ", e.g. [3, 4, 5]";
    if (!list.is_seq() || list.size() == 0) throw InputError(list.where(), "axes." + a.path, list.text(), expected);
    for (const YNode& item : list.items(expected)) {
      SweepValue v = make_value(item);
      if (!item.defined()) throw item.error("(empty)", "a value for " + a.path);
      for (const auto& seen : a.values) {
        if (seen.text == v.text) throw InputError(v.where, "axes." + a.path, v.text, "each value once in an axis");
      }
      a.values.push_back(std::move(v));
    }
    f.axes.push_back(std::move(a));
  }
}

void load_points(const YNode& root, SweepFile& f) {
  const YNode points = root.get("points");
  if (!points.defined()) {
    if (root.has("points")) throw points.error("(empty)", "a list of points: maps key path -> value");
    return;
  }
  const std::string expected = "a list of points, each a map key path -> value";
  if (!points.is_seq() || points.size() == 0) throw points.error(expected);
  for (const YNode& p : points.items(expected)) {
    if (!p.is_map() || p.raw().size() == 0) throw p.error("a point: a non-empty map key path -> value");
    std::vector<SweepAssignment> point;
    for (auto it = p.raw().begin(); it != p.raw().end(); ++it) {
      const SourceLocation at = key_where(p, it);
      const std::string path = it->first.IsScalar() ? it->first.Scalar() : "?";
      check_key_path(path, at, p.path());
      const YNode v = p.get(path);
      if (!v.defined()) throw v.error("(empty)", "a value for " + path);
      for (const auto& seen : point) {
        if (seen.path == path) throw InputError(at, p.path() + "." + path, path, "each key path once in a point");
      }
      point.push_back({path, make_value(v)});
    }
    f.points.push_back(std::move(point));
    f.point_where.push_back(p.where());
  }
}

// A key path set twice would depend on the order of application: refuse it. Points may share
// paths with one another, not with an axis; no path may lie inside another.
void check_overlaps(const SweepFile& f) {
  // a == b, or b lies inside a ("platform" and "platform.count"); without allocating: a sweep may
  // have thousands of axes, compared pairwise
  const auto inside = [](const std::string& a, const std::string& b) {
    return b.size() >= a.size() && b.compare(0, a.size(), a) == 0 && (b.size() == a.size() || b[a.size()] == '.');
  };
  for (std::size_t i = 0; i < f.axes.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (inside(f.axes[j].path, f.axes[i].path) || inside(f.axes[i].path, f.axes[j].path)) {
        throw InputError(f.axes[i].where, "axes." + f.axes[i].path, f.axes[i].path,
                         "a key path that no other axis sets (axis " + f.axes[j].path + " does)");
      }
    }
  }
  for (const auto& point : f.points) {
    for (std::size_t i = 0; i < point.size(); ++i) {
      for (const auto& a : f.axes) {
        if (inside(a.path, point[i].path) || inside(point[i].path, a.path)) {
          throw InputError(point[i].value.where, point[i].path, point[i].value.text,
                           "a key path that no axis sets (axis " + a.path + " does)");
        }
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (inside(point[j].path, point[i].path) || inside(point[i].path, point[j].path)) {
          throw InputError(point[i].value.where, point[i].path, point[i].value.text,
                           "key paths that do not lie inside one another (" + point[j].path + " is set too)");
        }
      }
    }
  }
}

// Points x grid, and the values of all points together, within the limits (sweep_io.hpp).
void check_size(const SweepFile& f) {
  long long grid = 1;
  long long n = std::max<long long>(1, static_cast<long long>(f.points.size()));
  for (const auto& a : f.axes) {
    grid *= static_cast<long long>(a.values.size());
    n *= static_cast<long long>(a.values.size());
    if (n > kMaxSweepPoints) {
      throw InputError(a.where, "axes." + a.path, std::to_string(a.values.size()) + " values",
                       "at most " + std::to_string(kMaxSweepPoints) + " points in a sweep (points x grid)");
    }
  }
  long long point_values = 0;
  for (const auto& p : f.points) point_values += static_cast<long long>(p.size());
  const long long values = (point_values + n / grid * static_cast<long long>(f.axes.size())) * grid;
  if (values > kMaxSweepValues) {
    const SourceLocation where = f.axes.empty() ? f.point_where.front() : f.axes.back().where;
    throw InputError(where, f.axes.empty() ? "points" : "axes." + f.axes.back().path,
                     std::to_string(n) + " points x " + std::to_string(values / n) + " values",
                     "at most " + std::to_string(kMaxSweepValues) + " values in a sweep's points table (points x key paths)");
  }
}

}  // namespace

SweepFile parse_sweep(const std::string& text, const std::string& file) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a sweep: a map with base, and axes and/or points");
  root.allow_only({"base", "axes", "points", "name", "description"});
  for (const char* key : {"name", "description"}) {
    if (root.get(key).defined()) (void)root.get(key).as_string("free text");
  }
  SweepFile f;
  f.file = file;
  f.text = text;
  load_base(root, f);
  load_axes(root, f);
  load_points(root, f);
  if (f.axes.empty() && f.points.empty()) {
    throw InputError(root.where(), "axes", "(missing)", "axes (key path -> list of values) and/or points (a list of maps)");
  }
  check_size(f);  // first: the overlap checks compare points with axes
  check_overlaps(f);
  return f;
}

SweepFile load_sweep(const std::string& path) { return parse_sweep(read_text_file(path, "a sweep file"), path); }

}  // namespace trainsim::io
