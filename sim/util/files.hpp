// Files as bytes: reading a small text file, writing one atomically, checking an output path early.
// The layers that own a format (sim/input, sim/report, sim/store) all use these; nothing else of
// sim/ opens a file.
#pragma once

#include <cstddef>
#include <string>

namespace trainsim {

// Text files are small: a bigger one is a mistake (or a device such as /dev/zero).
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{64} << 20;

// Reads a whole file; a missing or unreadable file, a directory or one over kMaxTextFileBytes is
// an InputError naming it.
[[nodiscard]] std::string read_text_file(const std::string& path, const std::string& what = "a readable file");

// Writes through a temporary file in the same folder, renamed at the end: readers never see a
// half-written file, and an interrupted write leaves none.
void write_text_file_atomic(const std::string& path, const std::string& text);

// Output paths are checked before a command starts its work, not after an hour of simulation:
// InputError naming `option` unless `path` is a file name in an existing folder (it may exist).
void check_output_path(const std::string& path, const std::string& option);

// The names as the I/O layers (namespace trainsim::io) have always called them.
namespace io {
using trainsim::check_output_path;
using trainsim::kMaxTextFileBytes;
using trainsim::read_text_file;
using trainsim::write_text_file_atomic;
}  // namespace io

}  // namespace trainsim
