// The sweep's HDF5 group (docs/hdf5-schema.md): /sweep/points and the attributes of /sweep that
// say which sweep and which shard of it the file holds, so that `trainsim merge` can check shards.
#pragma once

#include <string>

#include "sim/store/hdf5_file.hpp"
#include "sim/store/hdf5_table.hpp"

namespace trainsim::io {

struct SweepAttributes {
  std::string sweep_id;      // SHA-256 of the resolved sweep (sim/sweep/identity.hpp)
  std::string sweep;         // the sweep file's text as given
  std::string replay;        // full | sampled
  long long points_total = 0;  // points of the whole sweep (every shard)
  long long shard_index = 0;   // K of --shard K/N; 0 of 1 when unsharded or merged
  long long shard_count = 1;
};

void write_sweep_attributes(TraceFile& file, const std::string& group, const SweepAttributes& a);

// A file written by `trainsim sweep -o` (one shard or all), read back for `trainsim merge`.
struct SweepPart {
  std::string path;
  std::string scenario;  // root attribute: the resolved base scenario
  long long seed = 0;
  SweepAttributes attributes;
  ColumnTable points;
};

// InputError naming the file when it is not a sweep file (no /sweep/points or attributes missing).
[[nodiscard]] SweepPart read_sweep_part(const std::string& path);

}  // namespace trainsim::io
