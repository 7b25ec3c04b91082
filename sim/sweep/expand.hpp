// A sweep's points: the explicit points crossed with the grid of the axes (each point with every
// combination of axis values; the last axis varies fastest), each made into a scenario and checked
// before anything runs.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/scenario.hpp"
#include "sim/input/sweep_io.hpp"

namespace trainsim::sweep {

struct SweepPoint {
  long long index = 0;                             // in the expansion order, from 0
  std::vector<io::SweepAssignment> assignments;    // the point's values, then the axes'
};

// Columns of the points table that the sweep sets: the points' key paths in order of first
// appearance, then the axes' in file order.
[[nodiscard]] std::vector<std::string> axis_columns(const io::SweepFile& f);

[[nodiscard]] std::vector<SweepPoint> expand(const io::SweepFile& f);

// The base alone: its own errors name its own file.
[[nodiscard]] Scenario resolve_base(const io::SweepFile& f, const Catalog& catalog);

// The base with the point's values set, parsed as a scenario. A failure is an InputError at the
// sweep file's line and column of the value that makes the scenario invalid (the first of the
// point's assignments after which it fails), naming the point, the key path, the value and what
// the scenario expected.
[[nodiscard]] Scenario resolve_point(const io::SweepFile& f, const SweepPoint& p, const Catalog& catalog);

// Every point, in order (in parallel: parsing a thousand scenarios takes a while). The error of
// the first failing point in point order is thrown, as resolve_point says.
[[nodiscard]] std::vector<Scenario> resolve_points(const io::SweepFile& f, const std::vector<SweepPoint>& points,
                                                   const Catalog& catalog);

// A campaign base (f.campaign): the base alone, checked as `trainsim campaign` checks a file.
void check_campaign_base(const io::SweepFile& f, const Catalog& catalog);

// A campaign base: the campaign text of every point, the base with the point's values set (key
// paths enter a list of named maps by name: stages.hrnet.run.epochs; `platform: X` stands for
// `platforms: [X]`), each checked as `trainsim campaign` checks a file (every run's scenario on
// the platform) and for naming exactly one platform. Errors as resolve_point says.
[[nodiscard]] std::vector<std::string> resolve_campaign_points(const io::SweepFile& f,
                                                               const std::vector<SweepPoint>& points,
                                                               const Catalog& catalog);

}  // namespace trainsim::sweep
