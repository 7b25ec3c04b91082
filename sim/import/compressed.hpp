// Whole files in memory, gunzipped when they are gzip (by their magic bytes, whatever the name),
// and the members of a tar archive (ustar), for profiler traces (`.json`, `.json.gz`, `.tar.gz`).
#pragma once

#include <string>
#include <vector>

namespace trainsim::io {

// The file's bytes, inflated when it starts with the gzip magic. Throws InputError naming the
// file when it cannot be read or the gzip stream is corrupt or truncated.
[[nodiscard]] std::string read_maybe_gzip(const std::string& path);

struct TarMember {
  std::string name;
  std::string data;
};

[[nodiscard]] bool is_tar(const std::string& bytes);
// The regular files of a tar archive, in archive order. Throws InputError on a malformed header.
[[nodiscard]] std::vector<TarMember> tar_members(const std::string& bytes, const std::string& file);

}  // namespace trainsim::io
