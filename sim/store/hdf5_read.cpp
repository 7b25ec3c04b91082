#include "sim/store/hdf5_read.hpp"

#include <cstring>

#include "sim/store/hdf5_detail.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

struct H5Input::Impl {
  h5::Handle file;
};

H5Input::H5Input(const std::string& path, const std::string& what) : path_(path), what_(what), impl_(std::make_unique<Impl>()) {
  std::lock_guard lock(h5::library_mutex());
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    const std::string why = h5::last_error();
    H5Eclear2(H5E_DEFAULT);
    throw InputError({path}, "file", path, what + ": a readable HDF5 file (" + why + ")");
  }
  impl_->file = h5::Handle(id, H5Fclose);
}

H5Input::~H5Input() {
  std::lock_guard lock(h5::library_mutex());
  impl_->file.reset();
}

bool H5Input::exists(const std::string& object) const {
  std::lock_guard lock(h5::library_mutex());
  if (object == "/") return true;
  std::string at;
  for (const auto& c : h5::split_path(object)) {
    at += "/" + c;
    if (H5Lexists(impl_->file.get(), at.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

namespace {

h5::Handle open_object(hid_t file, const std::string& path, const std::string& what) {
  return {h5::check_id(H5Oopen(file, path.c_str(), H5P_DEFAULT), "open " + what), H5Oclose};
}

// The attribute, opened, or an invalid handle when absent.
h5::Handle open_attribute(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  h5::check_ok(exists < 0 ? -1 : 0, "look up attribute " + name);
  if (exists == 0) return {};
  return {h5::check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose};
}

}  // namespace

std::optional<std::string> H5Input::string_attribute(const std::string& object, const std::string& name) const {
  if (!exists(object)) return std::nullopt;
  std::lock_guard lock(h5::library_mutex());
  h5::Handle obj = open_object(impl_->file.get(), object, path_ + ":" + object);
  h5::Handle attr = open_attribute(obj.get(), name);
  if (!attr.valid()) return std::nullopt;
  h5::Handle type = h5::type_handle(H5Aget_type(attr.get()), "attribute " + name);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0) {
    throw InputError({path_}, object + "@" + name, "", what_ + ": a string attribute");
  }
  h5::Handle mem = h5::type_handle(H5Tcopy(H5T_C_S1), "string type");
  h5::check_ok(H5Tset_size(mem.get(), H5T_VARIABLE), "string type");
  h5::check_ok(H5Tset_cset(mem.get(), H5T_CSET_UTF8), "string type");
  char* text = nullptr;
  h5::check_ok(H5Aread(attr.get(), mem.get(), &text), "read attribute " + name);
  std::string out = text != nullptr ? text : "";
  h5::Handle space = h5::space_handle(H5Aget_space(attr.get()), "attribute space");
  H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, &text);
  return out;
}

std::optional<long long> H5Input::int_attribute(const std::string& object, const std::string& name) const {
  if (!exists(object)) return std::nullopt;
  std::lock_guard lock(h5::library_mutex());
  h5::Handle obj = open_object(impl_->file.get(), object, path_ + ":" + object);
  h5::Handle attr = open_attribute(obj.get(), name);
  if (!attr.valid()) return std::nullopt;
  h5::Handle type = h5::type_handle(H5Aget_type(attr.get()), "attribute " + name);
  if (H5Tget_class(type.get()) != H5T_INTEGER) throw InputError({path_}, object + "@" + name, "", what_ + ": an integer attribute");
  std::int64_t v = 0;
  h5::check_ok(H5Aread(attr.get(), H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

ColumnTable H5Input::table(const std::string& dataset) const {
  if (!exists(dataset)) throw InputError({path_}, dataset, "(missing)", what_ + " with a table " + dataset);
  std::lock_guard lock(h5::library_mutex());
  const std::string where = path_ + ":" + dataset;
  h5::Handle ds(h5::check_id(H5Dopen2(impl_->file.get(), dataset.c_str(), H5P_DEFAULT), "open " + where), H5Dclose);
  h5::Handle ftype = h5::type_handle(H5Dget_type(ds.get()), where);
  h5::Handle space = h5::space_handle(H5Dget_space(ds.get()), where);
  hsize_t rows = 0;
  if (H5Tget_class(ftype.get()) != H5T_COMPOUND || H5Sget_simple_extent_ndims(space.get()) != 1) {
    throw InputError({path_}, dataset, "", what_ + ": a one-dimensional compound table at " + dataset);
  }
  H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
  const int members = H5Tget_nmembers(ftype.get());
  // One read per column, into a native buffer of that column alone.
  ColumnTable t;
  for (int m = 0; m < members; ++m) {
    char* raw_name = H5Tget_member_name(ftype.get(), static_cast<unsigned>(m));
    const std::string name = raw_name != nullptr ? raw_name : "";
    H5free_memory(raw_name);
    h5::Handle mtype = h5::type_handle(H5Tget_member_type(ftype.get(), static_cast<unsigned>(m)), where + "." + name);
    const H5T_class_t cls = H5Tget_class(mtype.get());
    const std::size_t fsize = H5Tget_size(mtype.get());
    h5::Handle native;
    std::size_t width = 0;
    if (cls == H5T_FLOAT && fsize == 8) {
      native = h5::type_handle(H5Tcopy(H5T_NATIVE_DOUBLE), name);
      width = 8;
    } else if (cls == H5T_INTEGER && (fsize == 8 || fsize == 4)) {
      native = h5::type_handle(H5Tcopy(fsize == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT32), name);
      width = fsize;
    } else if (cls == H5T_ENUM && fsize == 1) {  // bool as h5py writes it
      native = h5::type_handle(H5Tcopy(mtype.get()), name);
      width = 1;
    } else if (cls == H5T_STRING && H5Tis_variable_str(mtype.get()) == 0) {
      native = h5::type_handle(H5Tcopy(mtype.get()), name);
      width = fsize;
    } else {
      throw InputError({path_}, dataset + "." + name, "", what_ + ": columns of float64, int64, int32, bool or string");
    }
    h5::Handle one = h5::type_handle(H5Tcreate(H5T_COMPOUND, width), name);
    h5::check_ok(H5Tinsert(one.get(), name.c_str(), 0, native.get()), "column " + name);
    std::vector<unsigned char> buf(rows * width + 1, 0);
    if (rows > 0) h5::check_ok(H5Dread(ds.get(), one.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read " + where);
    const auto at = [&](hsize_t r) { return buf.data() + r * width; };
    if (cls == H5T_FLOAT) {
      std::vector<double> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], at(r), 8);
      t.add(name, std::move(v));
    } else if (cls == H5T_INTEGER && width == 8) {
      std::vector<std::int64_t> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], at(r), 8);
      t.add(name, std::move(v));
    } else if (cls == H5T_INTEGER) {
      std::vector<std::int32_t> v(rows);
      for (hsize_t r = 0; r < rows; ++r) std::memcpy(&v[r], at(r), 4);
      t.add(name, std::move(v));
    } else if (cls == H5T_ENUM) {
      std::vector<bool> v(rows);
      for (hsize_t r = 0; r < rows; ++r) v[r] = *at(r) != 0;
      t.add(name, std::move(v));
    } else {
      std::vector<std::string> v(rows);
      for (hsize_t r = 0; r < rows; ++r) {
        const char* s = reinterpret_cast<const char*>(at(r));
        v[r] = std::string(s, strnlen(s, width));
      }
      t.add(name, std::move(v));
    }
  }
  return t;
}

}  // namespace trainsim::io
