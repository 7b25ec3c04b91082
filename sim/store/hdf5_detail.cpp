#include "sim/store/hdf5_detail.hpp"

#include <algorithm>
#include <cstdint>

#include "sim/util/error.hpp"

namespace trainsim::io::h5 {

std::recursive_mutex& library_mutex() {
  static std::recursive_mutex mutex;
  // HDF5 prints its whole error stack to stderr by default; trainsim reports one line instead.
  static const bool quiet = [] { return H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0; }();
  (void)quiet;
  return mutex;
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    closer_ = o.closer_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() noexcept {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void Handle::close(const std::string& what) {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = H5I_INVALID_HID;
  check_ok(closer_(id), what);
}

namespace {
herr_t innermost(unsigned n, const H5E_error2_t* err, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (n == 0 && err->desc != nullptr) *out = err->desc;
  return 0;
}
}  // namespace

std::string last_error() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
  H5Eclear2(H5E_DEFAULT);
  return msg.empty() ? "unknown HDF5 error" : msg;
}

hid_t check_id(hid_t id, const std::string& what) {
  if (id < 0) throw RuntimeError(what + ": " + last_error());
  return id;
}

void check_ok(herr_t status, const std::string& what) {
  if (status < 0) throw RuntimeError(what + ": " + last_error());
}

Handle type_handle(hid_t id, const std::string& what) { return {check_id(id, what), H5Tclose}; }
Handle plist_handle(hid_t id, const std::string& what) { return {check_id(id, what), H5Pclose}; }
Handle space_handle(hid_t id, const std::string& what) { return {check_id(id, what), H5Sclose}; }

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  const std::string p = !path.empty() && path.front() == '/' ? path.substr(1) : path;
  for (std::size_t i = 0; i <= p.size(); ++i) {
    if (i == p.size() || p[i] == '/') {
      if (cur.empty() || cur == "." || cur == "..") {
        throw RuntimeError("HDF5 path '" + path + "': expected /name/name/... with non-empty names");
      }
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += p[i];
    }
  }
  return parts;
}

Handle ensure_group(hid_t file, const std::vector<std::string>& components) {
  Handle gcpl = plist_handle(H5Pcreate(H5P_GROUP_CREATE), "group creation properties");
  check_ok(H5Pset_obj_track_times(gcpl.get(), false), "group creation properties");
  Handle group(check_id(H5Gopen2(file, "/", H5P_DEFAULT), "open the root group"), H5Gclose);
  std::string path;
  for (const auto& name : components) {
    path += "/" + name;
    const htri_t exists = H5Lexists(group.get(), name.c_str(), H5P_DEFAULT);
    check_ok(exists < 0 ? -1 : 0, "look up " + path);
    const hid_t next = exists > 0 ? H5Gopen2(group.get(), name.c_str(), H5P_DEFAULT)
                                  : H5Gcreate2(group.get(), name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT);
    group = Handle(check_id(next, "create group " + path), H5Gclose);
  }
  return group;
}

Handle dataset_creation_plist() {
  Handle dcpl = plist_handle(H5Pcreate(H5P_DATASET_CREATE), "dataset creation properties");
  check_ok(H5Pset_obj_track_times(dcpl.get(), false), "dataset creation properties");
  return dcpl;
}

namespace {
// Replaces the attribute when it exists. The file type is little-endian whatever the host; HDF5
// converts from the memory type.
void write_attribute_raw(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type, hid_t space,
                         const void* data) {
  const htri_t exists = H5Aexists(object, name.c_str());
  check_ok(exists < 0 ? -1 : 0, "look up attribute " + name);
  if (exists > 0) check_ok(H5Adelete(object, name.c_str()), "replace attribute " + name);
  Handle attr(check_id(H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT),
                       "create attribute " + name),
              H5Aclose);
  check_ok(H5Awrite(attr.get(), mem_type, data), "write attribute " + name);
  attr.close("close attribute " + name);
}
}  // namespace

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = type_handle(H5Tcopy(H5T_C_S1), "string type");
  check_ok(H5Tset_size(type.get(), H5T_VARIABLE), "string type");
  check_ok(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type");
  Handle space = space_handle(H5Screate(H5S_SCALAR), "scalar space");
  const char* text = value.c_str();
  write_attribute_raw(object, name, type.get(), type.get(), space.get(), &text);
}

void write_attribute(hid_t object, const std::string& name, long long value) {
  Handle space = space_handle(H5Screate(H5S_SCALAR), "scalar space");
  const std::int64_t v = value;
  write_attribute_raw(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), &v);
}

void write_attribute(hid_t object, const std::string& name, double value) {
  Handle space = space_handle(H5Screate(H5S_SCALAR), "scalar space");
  write_attribute_raw(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), &value);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values) {
  const hsize_t n = values.size();
  Handle space = space_handle(H5Screate_simple(1, &n, nullptr), "array space");
  // An empty array is a valid attribute; there is nothing to point at.
  static const double none = 0;
  write_attribute_raw(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), values.empty() ? &none : values.data());
}

Handle create_table(hid_t group, const std::string& name, hid_t file_type, hsize_t rows, const TableLayout& layout) {
  const hsize_t max_rows = H5S_UNLIMITED;
  Handle space = space_handle(H5Screate_simple(1, &rows, &max_rows), "table space");
  Handle dcpl = dataset_creation_plist();
  const hsize_t chunk = std::max<hsize_t>(1, layout.chunk_rows);
  check_ok(H5Pset_chunk(dcpl.get(), 1, &chunk), "chunking of " + name);
  // Shuffle first: it groups the k-th bytes of all rows, which deflate then compresses far better.
  check_ok(H5Pset_shuffle(dcpl.get()), "shuffle filter of " + name);
  check_ok(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(layout.deflate_level)), "deflate filter of " + name);
  return {check_id(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                   "create dataset " + name),
          H5Dclose};
}

void write_rows(hid_t dataset, hid_t mem_type, hsize_t first, hsize_t rows, const void* data, const std::string& what) {
  if (rows == 0) return;
  const hsize_t total = first + rows;
  check_ok(H5Dset_extent(dataset, &total), "extend " + what);
  Handle file_space = space_handle(H5Dget_space(dataset), what);
  check_ok(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &first, nullptr, &rows, nullptr), "select rows of " + what);
  Handle mem_space = space_handle(H5Screate_simple(1, &rows, nullptr), what);
  check_ok(H5Dwrite(dataset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data), "write " + what);
}

}  // namespace trainsim::io::h5
