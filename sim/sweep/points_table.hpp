// The sweep's one table (HDF5 /sweep/points, CSV): point, status, error, one column per axis,
// then the metrics of each point, in point order. docs/hdf5-schema.md lists the columns.
#pragma once

#include <string>
#include <vector>

#include "sim/store/hdf5_table.hpp"
#include "sim/sweep/expand.hpp"
#include "sim/sweep/pool.hpp"

namespace trainsim::sweep {

// `points[i]` ran as `outcomes[i]`. An axis column is int64 when every point sets it to an
// integer, float64 when every value is a number (NaN where an explicit point leaves it unset),
// string otherwise ("" where unset; lists and maps as one line of flow YAML). Metrics of a point
// that did not succeed are NaN (float64), -1 (int64) and "" (string).
[[nodiscard]] io::ColumnTable points_table(const std::vector<std::string>& columns, const std::vector<SweepPoint>& points,
                                           const std::vector<PointOutcome>& outcomes);
// A sweep over a campaign: the same first columns, then the campaign's totals on its platform.
[[nodiscard]] io::ColumnTable campaign_points_table(const std::vector<std::string>& columns,
                                                    const std::vector<SweepPoint>& points,
                                                    const std::vector<PointOutcome>& outcomes);

}  // namespace trainsim::sweep
