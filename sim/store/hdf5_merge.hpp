// Runs that ran in child processes (compare, campaign and sweep start one per platform or point:
// SimGrid allows one simulation per process) cannot write into the parent's open file. Each child
// writes a whole file of its own (-o PART.h5, one run group); the parent copies that group into
// its file, compressed chunks as they are, and removes the part.
#pragma once

#include <string>

#include "sim/store/hdf5_file.hpp"

namespace trainsim::io {

// Copies group `from_group` of the file `part_path` (a committed trainsim file) to `to_group` of
// `file`, with its attributes and tables. RuntimeError when the part or the group is missing or
// `to_group` exists. The part file is left in place (the caller removes it).
void merge_run(TraceFile& file, const std::string& part_path, const std::string& from_group,
               const std::string& to_group);

}  // namespace trainsim::io
