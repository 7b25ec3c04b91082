// What `trainsim sweep` and `trainsim merge` print: a terminal table of the points (axis values,
// status, throughput, epoch and run time, errors), or JSON with every column of every row.
#pragma once

#include <string>
#include <vector>

#include "sim/store/hdf5_table.hpp"
#include "sim/util/json.hpp"

namespace trainsim::cli {

struct SweepRun {
  std::string sweep_id;
  long long points_total = 0;
  long long shard_index = 0;
  long long shard_count = 1;
  double wall_s = 0;
  long long resumed = 0;  // points taken from the journal of an interrupted run (--resume)
};

// {sweep_id, points, shard, ok, failed, resumed, wall_s, rows: [{column: value, ...}, ...]} (NaN as null).
[[nodiscard]] Json sweep_json(const SweepRun& run, const io::ColumnTable& table);
[[nodiscard]] std::string sweep_text(const SweepRun& run, const std::vector<std::string>& axes, const io::ColumnTable& table);

}  // namespace trainsim::cli
