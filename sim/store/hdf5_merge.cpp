#include "sim/store/hdf5_merge.hpp"

#include "sim/store/hdf5_detail.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

void merge_run(TraceFile& file, const std::string& part_path, const std::string& from_group,
               const std::string& to_group) {
  std::lock_guard lock(h5::library_mutex());
  h5::Handle part(h5::check_id(H5Fopen(part_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + part_path), H5Fclose);
  std::string source;
  for (const auto& c : h5::split_path(from_group)) {
    source += "/" + c;
    if (H5Lexists(part.get(), source.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      throw RuntimeError(part_path + ": no group " + source + " to merge");
    }
  }
  auto parts = h5::split_path(to_group);
  const std::string name = parts.back();
  parts.pop_back();
  h5::Handle parent = h5::ensure_group(file.impl().id(), parts);
  if (H5Lexists(parent.get(), name.c_str(), H5P_DEFAULT) > 0) {
    throw RuntimeError(file.path() + ": " + to_group + " exists already; cannot merge " + part_path + " into it");
  }
  h5::check_ok(H5Ocopy(part.get(), source.c_str(), parent.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
               "copy " + part_path + ":" + source + " to " + to_group);
  part.close("close " + part_path);
}

}  // namespace trainsim::io
