// Writing a ColumnTable as CSV (RFC 4180): a header row of column names, then one record per row.
// Numbers as the shortest text that reads back to the same double; NaN as an empty field; text
// quoted when it holds a comma, a quote or a line break. Written atomically (a temporary file
// renamed): readers never see half a file, and a failure leaves none.
#pragma once

#include <string>

#include "sim/store/hdf5_table.hpp"

namespace trainsim::io {

[[nodiscard]] std::string to_csv(const ColumnTable& table);
void write_csv(const std::string& path, const ColumnTable& table);

}  // namespace trainsim::io
