#include "sim/report/csv_write.hpp"

#include <cmath>

#include "sim/util/files.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string cell(const ColumnValues& values, std::size_t row) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          return field(v[row]);
        } else if constexpr (std::is_same_v<T, bool>) {
          return v[row] ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          return std::isnan(v[row]) ? std::string() : format_double(v[row]);
        } else {
          return std::to_string(v[row]);
        }
      },
      values);
}

}  // namespace

std::string to_csv(const ColumnTable& table) {
  std::string out;
  for (std::size_t c = 0; c < table.columns().size(); ++c) out += (c ? "," : "") + field(table.columns()[c].name);
  out += "\n";
  for (std::size_t r = 0; r < table.rows(); ++r) {
    for (std::size_t c = 0; c < table.columns().size(); ++c) out += (c ? "," : "") + cell(table.columns()[c].values, r);
    out += "\n";
  }
  return out;
}

void write_csv(const std::string& path, const ColumnTable& table) { write_text_file_atomic(path, to_csv(table)); }

}  // namespace trainsim::io
