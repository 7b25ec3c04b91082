// A table of named, typed columns written as one compound HDF5 dataset: what the sweep passes for
// its points (any axes, any metrics) and what the other tables of the schema are built from.
// `pandas.DataFrame(h5py.File(f)[path][:])` reads it as it is: numbers come out as numbers, bool
// as numpy bool, strings as bytes (UTF-8; analysis/trainsim.py decodes them).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/store/hdf5_file.hpp"

namespace trainsim::io {

// HDF5 types: float64, int64, int32 (little-endian), bool (the enum h5py reads as numpy bool),
// string (fixed length: the column's longest value, NUL-padded, UTF-8).
using ColumnValues = std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::int32_t>,
                                  std::vector<bool>, std::vector<std::string>>;

struct Column {
  std::string name;
  ColumnValues values;
};

class ColumnTable {
 public:
  // Every column must have as many rows as the first; names must be unique and non-empty.
  // Mistakes are RuntimeError: tables are built by trainsim, not typed by users.
  ColumnTable& add(std::string name, ColumnValues values);

  [[nodiscard]] const std::vector<Column>& columns() const { return columns_; }
  [[nodiscard]] std::size_t rows() const;
  [[nodiscard]] const Column* find(const std::string& name) const;

 private:
  std::vector<Column> columns_;
};

// Writes `table` at `path` ("/sweep/points"), creating the groups above it. The dataset is chunked
// on an unlimited dimension, shuffled and deflated.
void write_table(TraceFile& file, const std::string& path, const ColumnTable& table);

// The sweep's table: `<group>/points`. Its first columns must be point (int64), status (string:
// "ok" or "failed"), error (string, empty when ok); then one column per axis and per metric.
void write_points(TraceFile& file, const std::string& group, const ColumnTable& points);

}  // namespace trainsim::io
