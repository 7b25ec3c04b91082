// Reading back what sim/store wrote, through the HDF5 C API only (not through the writer's code), for
// the round-trip tests.
#pragma once

#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace trainsim::test {

// A fresh folder under the system's temporary folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("trainsim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
    return out;
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

class H5Reader {
 public:
  explicit H5Reader(const std::string& path) : id_(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id_ < 0) throw std::runtime_error("cannot open " + path);
  }
  ~H5Reader() { H5Fclose(id_); }
  H5Reader(const H5Reader&) = delete;
  H5Reader& operator=(const H5Reader&) = delete;

  [[nodiscard]] bool exists(const std::string& path) const {
    return H5Lexists(id_, path.c_str(), H5P_DEFAULT) > 0;
  }

  [[nodiscard]] hsize_t rows(const std::string& dataset) const {
    const hid_t ds = open(dataset);
    const hid_t space = H5Dget_space(ds);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space, &n, nullptr);
    H5Sclose(space);
    H5Dclose(ds);
    return n;
  }

  // One field of a compound dataset, converted to T by HDF5 (partial compound read by name).
  template <typename T>
  [[nodiscard]] std::vector<T> column(const std::string& dataset, const std::string& field, hid_t native) const {
    const hid_t ds = open(dataset);
    std::vector<T> out(rows(dataset));
    const hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(T));
    H5Tinsert(mem, field.c_str(), 0, native);
    const herr_t st = out.empty() ? 0 : H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
    H5Tclose(mem);
    H5Dclose(ds);
    if (st < 0) throw std::runtime_error("cannot read " + dataset + "/" + field);
    return out;
  }
  [[nodiscard]] std::vector<double> doubles(const std::string& ds, const std::string& f) const {
    return column<double>(ds, f, H5T_NATIVE_DOUBLE);
  }
  [[nodiscard]] std::vector<long long> ints(const std::string& ds, const std::string& f) const {
    return column<long long>(ds, f, H5T_NATIVE_LLONG);
  }
  [[nodiscard]] std::vector<std::string> strings(const std::string& ds, const std::string& field) const {
    const hid_t d = open(ds);
    const hid_t ftype = H5Dget_type(d);
    const int i = H5Tget_member_index(ftype, field.c_str());
    const hid_t st = H5Tget_member_type(ftype, static_cast<unsigned>(i));
    const std::size_t width = H5Tget_size(st);
    std::vector<char> buf(width * rows(ds));
    const hid_t mem = H5Tcreate(H5T_COMPOUND, width);
    H5Tinsert(mem, field.c_str(), 0, st);
    if (!buf.empty()) H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    std::vector<std::string> out;
    for (std::size_t r = 0; r < buf.size() / width; ++r) {
      std::string s(buf.data() + r * width, width);
      out.push_back(s.substr(0, s.find('\0')));
    }
    H5Tclose(mem);
    H5Tclose(st);
    H5Tclose(ftype);
    H5Dclose(d);
    return out;
  }

  // Names of a compound dataset's fields, in order, and the HDF5 class of each.
  [[nodiscard]] std::vector<std::pair<std::string, H5T_class_t>> fields(const std::string& dataset) const {
    const hid_t d = open(dataset);
    const hid_t t = H5Dget_type(d);
    std::vector<std::pair<std::string, H5T_class_t>> out;
    for (int i = 0; i < H5Tget_nmembers(t); ++i) {
      char* name = H5Tget_member_name(t, static_cast<unsigned>(i));
      out.emplace_back(name, H5Tget_member_class(t, static_cast<unsigned>(i)));
      H5free_memory(name);
    }
    H5Tclose(t);
    H5Dclose(d);
    return out;
  }

  [[nodiscard]] hid_t dataset_type(const std::string& dataset) const {  // caller closes
    const hid_t d = open(dataset);
    const hid_t t = H5Dget_type(d);
    H5Dclose(d);
    return t;
  }

  [[nodiscard]] hid_t creation_plist(const std::string& dataset) const {  // caller closes
    const hid_t d = open(dataset);
    const hid_t p = H5Dget_create_plist(d);
    H5Dclose(d);
    return p;
  }

  [[nodiscard]] std::string string_attribute(const std::string& object, const std::string& name) const {
    const hid_t a = H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) throw std::runtime_error("no attribute " + object + "@" + name);
    const hid_t t = H5Aget_type(a);
    char* text = nullptr;
    H5Aread(a, t, &text);
    std::string out = text != nullptr ? text : "";
    H5free_memory(text);
    H5Tclose(t);
    H5Aclose(a);
    return out;
  }

  template <typename T>
  [[nodiscard]] std::vector<T> attribute(const std::string& object, const std::string& name, hid_t native) const {
    const hid_t a = H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) throw std::runtime_error("no attribute " + object + "@" + name);
    const hid_t space = H5Aget_space(a);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::vector<T> out(n);
    if (n > 0) H5Aread(a, native, out.data());
    H5Sclose(space);
    H5Aclose(a);
    return out;
  }

 private:
  [[nodiscard]] hid_t open(const std::string& dataset) const {
    const hid_t d = H5Dopen2(id_, dataset.c_str(), H5P_DEFAULT);
    if (d < 0) throw std::runtime_error("no dataset " + dataset);
    return d;
  }
  hid_t id_;
};

}  // namespace trainsim::test
