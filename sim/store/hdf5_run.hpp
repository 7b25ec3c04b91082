// One run in the HDF5 file (docs/hdf5-schema.md): the summary as attributes of the run's group,
// the `epochs` table, and the `iterations` table from trace level `iterations` up. The `events`
// table is streamed by io::event_writer (sim/store/hdf5_events.hpp) while the run goes.
#pragma once

#include <string>

#include "sim/engine/results.hpp"
#include "sim/store/hdf5_file.hpp"

namespace trainsim::io {

// `group` is run_group(platform, run). Host timings (RunSummary::wall_s) are left out: the same
// inputs must give the same file.
void write_run(TraceFile& file, const std::string& group, const RunResult& result,
               TraceLevel level = TraceLevel::iterations);

}  // namespace trainsim::io
