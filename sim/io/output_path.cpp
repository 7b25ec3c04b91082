#include "sim/io/output_path.hpp"

#include <filesystem>

#include "sim/util/error.hpp"

namespace trainsim::io {

void check_output_path(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (path.empty() || !fs::is_directory(folder, ec)) {
    throw InputError({path}, option, path, "a file in an existing folder (no folder '" + folder.string() + "')");
  }
  if (fs::is_directory(target, ec)) throw InputError({path}, option, path, "a file name, not a folder");
}

}  // namespace trainsim::io
