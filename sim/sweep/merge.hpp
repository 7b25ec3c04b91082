// Joining the shards of one sweep (`trainsim merge`): every part must carry the same sweep id and
// the same columns, and together they must hold each point of the sweep exactly once.
#pragma once

#include <vector>

#include "sim/store/hdf5_sweep.hpp"

namespace trainsim::sweep {

struct Merged {
  io::SweepAttributes attributes;  // the first part's, as shard 0 of 1
  std::string scenario;
  long long seed = 0;
  io::ColumnTable points;          // every row, in point order
};

// InputError naming the offending file: another sweep (a different id or point count), other
// columns, a point outside the sweep, a point in two parts (or twice in one), points in no part.
[[nodiscard]] Merged merge_parts(const std::vector<io::SweepPart>& parts);

}  // namespace trainsim::sweep
