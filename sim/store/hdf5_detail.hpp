// Internal to the HDF5 writers of sim/store: owning handles for HDF5 ids, errors turned into
// exceptions, groups and attributes written the same way everywhere. Not for other layers.
#pragma once

#include <hdf5.h>

#include <mutex>
#include <string>
#include <vector>

#include "sim/store/hdf5_file.hpp"

namespace trainsim::io::h5 {

// The serial HDF5 library must be entered by one thread at a time.
[[nodiscard]] std::recursive_mutex& library_mutex();

// One HDF5 id and the function that closes it. Move-only.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  [[nodiscard]] hid_t get() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }
  void reset() noexcept;               // closes, ignoring errors (for unwinding)
  void close(const std::string& what);  // closes, throwing RuntimeError on failure

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// The innermost message of the HDF5 error stack (HDF5's own printing is switched off).
[[nodiscard]] std::string last_error();
// Throw RuntimeError("<what>: <HDF5 message>") when the call failed.
hid_t check_id(hid_t id, const std::string& what);
void check_ok(herr_t status, const std::string& what);

// Handles of the common kinds.
[[nodiscard]] Handle type_handle(hid_t id, const std::string& what);
[[nodiscard]] Handle plist_handle(hid_t id, const std::string& what);
[[nodiscard]] Handle space_handle(hid_t id, const std::string& what);

// Something that keeps writing into a file after it was created (the event writer). The file
// finishes it before commit() and detaches it when it goes away without commit().
class Appender {
 public:
  virtual ~Appender() = default;
  virtual void finish() = 0;           // write what is buffered, close its datasets; may throw
  virtual void detach() noexcept = 0;  // drop everything: the file is being discarded
};

}  // namespace trainsim::io::h5

namespace trainsim::io {

struct TraceFile::Impl {
  std::string path;
  std::string temp_path;
  h5::Handle file;
  std::vector<h5::Appender*> appenders;
  std::string deferred_error;  // the first failure of an appender that could not throw
  bool closed = false;     // by commit(), successful or not
  bool committed = false;  // renamed to `path`

  [[nodiscard]] hid_t id() const;  // throws RuntimeError once closed
  void attach(h5::Appender* a) { appenders.push_back(a); }
  void release(h5::Appender* a) noexcept;
  void defer_error(const std::string& message) noexcept;
};

}  // namespace trainsim::io

namespace trainsim::io::h5 {

// "/a/b/c" -> {"a", "b", "c"}; a leading '/' is optional. Empty components and "." or ".." are a
// RuntimeError (paths are built by trainsim, from names run_group() has checked).
[[nodiscard]] std::vector<std::string> split_path(const std::string& path);
// Opens the group at `path`, creating the missing levels (without modification times, so that
// identical inputs give identical files).
[[nodiscard]] Handle ensure_group(hid_t file, const std::vector<std::string>& components);
// Creation property lists that keep no modification time.
[[nodiscard]] Handle dataset_creation_plist();

// Attributes of an object, replaced when they exist. Strings are variable-length UTF-8 (h5py
// reads them as str); integers int64; reals float64; a vector is a 1-D array however long.
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, long long value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values);

// A compound table dataset of `rows` rows (0 when it is filled by write_rows later): chunked on
// one unlimited dimension, shuffled and deflated.
struct TableLayout {
  std::size_t chunk_rows = 4096;  // rows per chunk, at least 1
  int deflate_level = 6;
};
[[nodiscard]] Handle create_table(hid_t group, const std::string& name, hid_t file_type, hsize_t rows,
                                  const TableLayout& layout);
// Appends `rows` packed rows of `mem_type` at row `first` of a table created by create_table.
void write_rows(hid_t dataset, hid_t mem_type, hsize_t first, hsize_t rows, const void* data,
                const std::string& what);

}  // namespace trainsim::io::h5
