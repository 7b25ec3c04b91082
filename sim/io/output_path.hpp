// Output paths are checked before a command starts its work, not after an hour of simulation.
#pragma once

#include <string>

namespace trainsim::io {

// InputError naming `option` unless `path` is a file name in an existing folder (it may exist).
void check_output_path(const std::string& path, const std::string& option);

}  // namespace trainsim::io
