// Reading CSV files (the reference measurements): a header row, then records. Lines starting
// with '#' are comments (the files name their sources there); blank lines are skipped; fields may
// be quoted ("a, b" and "" for a quote). Every error names the file, line and column.
#pragma once

#include <string>
#include <vector>

#include "sim/util/error.hpp"

namespace trainsim::io {

struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;
};

class CsvTable {
 public:
  // Throws InputError on a record whose field count differs from the header's.
  [[nodiscard]] static CsvTable parse(const std::string& text, const std::string& file);
  [[nodiscard]] static CsvTable load(const std::string& path);

  [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
  [[nodiscard]] const std::vector<CsvRecord>& records() const { return records_; }
  [[nodiscard]] const std::string& file() const { return file_; }

  // The field of `record` in column `name`; throws InputError when the file has no such column.
  [[nodiscard]] const std::string& get(const CsvRecord& record, const std::string& name) const;
  [[nodiscard]] double get_double(const CsvRecord& record, const std::string& name, double min, double max) const;
  [[nodiscard]] long long get_int(const CsvRecord& record, const std::string& name, long long min, long long max) const;
  [[nodiscard]] SourceLocation where(const CsvRecord& record, const std::string& name) const;

 private:
  [[nodiscard]] std::size_t column(const std::string& name) const;

  std::string file_;
  int header_line_ = 0;
  std::vector<std::string> header_;
  std::vector<CsvRecord> records_;
};

}  // namespace trainsim::io
