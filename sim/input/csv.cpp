#include "sim/input/csv.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "sim/input/yaml.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

std::vector<std::string> split_record(const std::string& line, const std::string& file, int number) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw InputError({file, number, static_cast<int>(line.size())}, "record", line, "a closing '\"'");
  }
  out.push_back(trim(field));
  return out;
}

}  // namespace

CsvTable CsvTable::parse(const std::string& text, const std::string& file) {
  CsvTable t;
  t.file_ = file;
  int number = 0;
  for (std::string line : split(text, '\n')) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string bare = trim(line);
    if (bare.empty() || bare.front() == '#') continue;
    auto fields = split_record(line, file, number);
    if (t.header_.empty()) {
      t.header_ = std::move(fields);
      t.header_line_ = number;
      continue;
    }
    if (fields.size() != t.header_.size()) {
      throw InputError({file, number, 1}, "record", std::to_string(fields.size()) + " fields",
                       std::to_string(t.header_.size()) + " fields, as the header (" + join(t.header_, ",") + ")");
    }
    t.records_.push_back({std::move(fields), number});
  }
  if (t.header_.empty()) throw InputError({file, 1, 1}, "header", "", "a header row naming the columns");
  return t;
}

CsvTable CsvTable::load(const std::string& path) { return parse(read_text_file(path, "a CSV file"), path); }

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t c = 0; c < header_.size(); ++c) {
    if (header_[c] == name) return c;
  }
  throw InputError({file_, header_line_, 1}, "header", join(header_, ","), "a column named '" + name + "'");
}

const std::string& CsvTable::get(const CsvRecord& record, const std::string& name) const {
  return record.fields[column(name)];
}

SourceLocation CsvTable::where(const CsvRecord& record, const std::string& name) const {
  return {file_, record.line, static_cast<int>(column(name)) + 1};
}

double CsvTable::get_double(const CsvRecord& record, const std::string& name, double min, double max) const {
  const std::string& s = get(record, name);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || v < min || v > max) {
    throw InputError(where(record, name), name, s, "a number from " + format_double(min) + " to " + format_double(max));
  }
  return v;
}

long long CsvTable::get_int(const CsvRecord& record, const std::string& name, long long min, long long max) const {
  const std::string& s = get(record, name);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno == ERANGE || v < min || v > max) {
    throw InputError(where(record, name), name, s,
                     "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

}  // namespace trainsim::io
