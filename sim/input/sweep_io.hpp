// Reading sweep files (docs/sweeps.md): a base scenario or campaign, axes crossed as a grid and/or a list of
// points, each setting values at scenario key paths. Everything about the file's own shape is
// checked here, with file:line:column; whether each point makes a valid scenario is checked by
// sim/sweep when it expands the points (before anything runs).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sim/input/yaml.hpp"

namespace trainsim::io {

// One value of an axis or a point, where it was written, and its text (a scalar as written, any
// other value as one line of flow YAML): the column value of the points table.
struct SweepValue {
  YAML::Node value;
  SourceLocation where;
  std::string text;
  bool is_number = false;   // a plain decimal number
  bool is_integer = false;  // and a whole one
};

struct SweepAssignment {
  std::string path;  // scenario key path: workload.batch_per_gpu
  SweepValue value;
};

struct SweepAxis {
  std::string path;
  SourceLocation where;  // of the key
  std::vector<SweepValue> values;
};

struct SweepFile {
  std::string file;
  std::string text;                 // as given: part of the sweep's identity
  YAML::Node base;                  // the base scenario's or campaign's tree, with its positions (each point edits a clone)
  bool campaign = false;            // the base is a campaign (it has stages:): each point runs `trainsim campaign`
  std::string base_file;            // where it came from: the sweep file (inline) or the base path
  SourceLocation base_where;        // the `base:` value
  std::vector<SweepAxis> axes;      // in file order; the last varies fastest
  std::vector<std::vector<SweepAssignment>> points;
  std::vector<SourceLocation> point_where;
};

// At most this many points (points x grid): a bigger sweep is almost surely a mistake, and every
// point is made into a scenario (a few KB each) before the first one runs.
inline constexpr long long kMaxSweepPoints = 100'000;
// At most this many values in the points table (each point's values, summed over the points): a
// few hundred axes crossed with a few hundred points would hold millions of them from a file of
// some kilobytes.
inline constexpr long long kMaxSweepValues = 2'000'000;

// Throws InputError: YAML syntax, unknown top-level keys, a base that is neither a map nor a
// readable file, an axis that is not a non-empty list, a value given twice in one axis, a point
// that is not a non-empty map, a malformed key path, a key path set twice (in an axis and a point,
// or a path and a path inside it), no axes and no points, too many points or values.
[[nodiscard]] SweepFile parse_sweep(const std::string& text, const std::string& file);
[[nodiscard]] SweepFile load_sweep(const std::string& path);

}  // namespace trainsim::io
