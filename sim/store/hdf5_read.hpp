// Reading trainsim HDF5 files back (what `trainsim merge` needs): scalar attributes and the
// compound tables that write_table wrote. Errors name the file and the path: a file that is not a
// trainsim file, or lacks what is asked, is an InputError (the user named it); HDF5 failures on a
// file that opened are RuntimeError.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sim/store/hdf5_table.hpp"

namespace trainsim::io {

class H5Input {
 public:
  // `what`: how the command names the file in errors (e.g. "a sweep part").
  H5Input(const std::string& path, const std::string& what);
  ~H5Input();
  H5Input(const H5Input&) = delete;
  H5Input& operator=(const H5Input&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] bool exists(const std::string& object) const;

  // Attributes of `object` ("/" or a group): nothing when absent; InputError when of another type.
  [[nodiscard]] std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
  [[nodiscard]] std::optional<long long> int_attribute(const std::string& object, const std::string& name) const;

  // A one-dimensional compound table of float64, int64, int32, bool (h5py's enum) and fixed-length
  // string columns, as write_table wrote it.
  [[nodiscard]] ColumnTable table(const std::string& dataset) const;

 private:
  std::string path_;
  std::string what_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trainsim::io
