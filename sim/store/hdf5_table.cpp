#include "sim/store/hdf5_table.hpp"

#include <algorithm>
#include <cstring>

#include "sim/store/hdf5_detail.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

namespace {

std::size_t column_rows(const ColumnValues& v) {
  return std::visit([](const auto& c) { return c.size(); }, v);
}

// The file and memory types of one column, and its width in a packed row.
struct ColumnType {
  h5::Handle file;
  h5::Handle mem;
  std::size_t size = 0;
};

h5::Handle bool_type(hid_t base) {
  // h5py's own encoding of numpy bool: an int8 enum FALSE = 0, TRUE = 1.
  h5::Handle t = h5::type_handle(H5Tenum_create(base), "bool type");
  const std::int8_t f = 0, t1 = 1;
  h5::check_ok(H5Tenum_insert(t.get(), "FALSE", &f), "bool type");
  h5::check_ok(H5Tenum_insert(t.get(), "TRUE", &t1), "bool type");
  return t;
}

ColumnType column_type(const Column& c) {
  ColumnType t;
  if (std::holds_alternative<std::vector<double>>(c.values)) {
    t.file = h5::type_handle(H5Tcopy(H5T_IEEE_F64LE), c.name);
    t.mem = h5::type_handle(H5Tcopy(H5T_NATIVE_DOUBLE), c.name);
  } else if (std::holds_alternative<std::vector<std::int64_t>>(c.values)) {
    t.file = h5::type_handle(H5Tcopy(H5T_STD_I64LE), c.name);
    t.mem = h5::type_handle(H5Tcopy(H5T_NATIVE_INT64), c.name);
  } else if (std::holds_alternative<std::vector<std::int32_t>>(c.values)) {
    t.file = h5::type_handle(H5Tcopy(H5T_STD_I32LE), c.name);
    t.mem = h5::type_handle(H5Tcopy(H5T_NATIVE_INT32), c.name);
  } else if (std::holds_alternative<std::vector<bool>>(c.values)) {
    t.file = bool_type(H5T_STD_I8LE);
    t.mem = bool_type(H5T_NATIVE_INT8);
  } else {
    std::size_t width = 1;  // HDF5 has no zero-length strings
    for (const auto& s : std::get<std::vector<std::string>>(c.values)) width = std::max(width, s.size());
    t.file = h5::type_handle(H5Tcopy(H5T_C_S1), c.name);
    h5::check_ok(H5Tset_size(t.file.get(), width), "string column " + c.name);
    h5::check_ok(H5Tset_strpad(t.file.get(), H5T_STR_NULLPAD), "string column " + c.name);
    h5::check_ok(H5Tset_cset(t.file.get(), H5T_CSET_UTF8), "string column " + c.name);
    t.mem = h5::type_handle(H5Tcopy(t.file.get()), c.name);
  }
  t.size = H5Tget_size(t.file.get());
  return t;
}

// Copies row `r` of column `c` into `out` in the native representation.
void pack(const Column& c, std::size_t r, unsigned char* out) {
  std::visit(
      [&](const auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          std::memcpy(out, v[r].data(), v[r].size());  // the rest stays NUL (the buffer is zeroed)
        } else if constexpr (std::is_same_v<T, bool>) {
          out[0] = v[r] ? 1 : 0;
        } else {
          const T x = v[r];
          std::memcpy(out, &x, sizeof x);
        }
      },
      c.values);
}

}  // namespace

ColumnTable& ColumnTable::add(std::string name, ColumnValues values) {
  if (name.empty()) throw RuntimeError("table column without a name");
  if (find(name) != nullptr) throw RuntimeError("table column '" + name + "' given twice");
  if (!columns_.empty() && column_rows(values) != rows()) {
    throw RuntimeError("table column '" + name + "' has " + std::to_string(column_rows(values)) + " rows, expected " +
                       std::to_string(rows()));
  }
  columns_.push_back({std::move(name), std::move(values)});
  return *this;
}

std::size_t ColumnTable::rows() const { return columns_.empty() ? 0 : column_rows(columns_.front().values); }

const Column* ColumnTable::find(const std::string& name) const {
  for (const auto& c : columns_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void write_table(TraceFile& file, const std::string& path, const ColumnTable& table) {
  if (table.columns().empty()) throw RuntimeError("table " + path + " has no columns");
  std::lock_guard lock(h5::library_mutex());
  auto parts = h5::split_path(path);
  const std::string name = parts.back();
  parts.pop_back();
  h5::Handle group = h5::ensure_group(file.impl().id(), parts);

  std::vector<ColumnType> types;
  std::vector<std::size_t> offsets;
  std::size_t row_size = 0;
  for (const auto& c : table.columns()) {
    types.push_back(column_type(c));
    offsets.push_back(row_size);
    row_size += types.back().size;
  }
  // Packed rows: no padding bytes, so the file holds no uninitialised memory and is reproducible.
  h5::Handle file_type = h5::type_handle(H5Tcreate(H5T_COMPOUND, row_size), path);
  h5::Handle mem_type = h5::type_handle(H5Tcreate(H5T_COMPOUND, row_size), path);
  for (std::size_t i = 0; i < types.size(); ++i) {
    const char* n = table.columns()[i].name.c_str();
    h5::check_ok(H5Tinsert(file_type.get(), n, offsets[i], types[i].file.get()), path);
    h5::check_ok(H5Tinsert(mem_type.get(), n, offsets[i], types[i].mem.get()), path);
  }
  const std::size_t rows = table.rows();
  std::vector<unsigned char> buf(rows * row_size, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < types.size(); ++i) {
      pack(table.columns()[i], r, buf.data() + r * row_size + offsets[i]);
    }
  }
  // Chunks of about 64 KiB (deflate's window is 32 KiB anyway); a small table is one small chunk.
  const std::size_t chunk_rows = std::min(std::max<std::size_t>(1, 65536 / row_size), std::max<std::size_t>(1, rows));
  const h5::TableLayout layout{chunk_rows, 6};
  h5::Handle ds = h5::create_table(group.get(), name, file_type.get(), 0, layout);
  h5::write_rows(ds.get(), mem_type.get(), 0, rows, buf.data(), path);
  ds.close("close " + path);
}

void write_points(TraceFile& file, const std::string& group, const ColumnTable& points) {
  const auto& cols = points.columns();
  const bool ok = cols.size() >= 3 && cols[0].name == "point" &&
                  std::holds_alternative<std::vector<std::int64_t>>(cols[0].values) && cols[1].name == "status" &&
                  std::holds_alternative<std::vector<std::string>>(cols[1].values) && cols[2].name == "error" &&
                  std::holds_alternative<std::vector<std::string>>(cols[2].values);
  if (!ok) throw RuntimeError("sweep points table: expected point (int64), status and error (strings) first");
  write_table(file, (group == "/" ? "" : group) + "/points", points);
}

}  // namespace trainsim::io
