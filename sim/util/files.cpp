#include "sim/util/files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sim/util/error.hpp"

namespace trainsim {

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

std::string read_text_file(const std::string& path, const std::string& what) {
  // A directory opens and reads as empty; a device such as /dev/zero never ends: refuse both.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError({path, 0, 0}, "", path, what + " (a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", path, what + " (" + std::strerror(errno) + ")");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxTextFileBytes) {
      throw InputError({path, 0, 0}, "", path, what + " of at most " + std::to_string(kMaxTextFileBytes >> 20) + " MB");
    }
  }
  if (in.bad()) throw InputError({path, 0, 0}, "", path, what + " (read error)");
  return text;
}

void write_text_file_atomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw RuntimeError("cannot write " + tmp + ": " + std::strerror(errno));
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw RuntimeError("cannot write " + tmp + ": " + std::strerror(errno));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    throw RuntimeError("cannot rename " + tmp + " to " + path + ": " + err);
  }
}

}  // namespace trainsim
