// Plain-text tables for the terminal: a header, aligned columns (numbers right, text left).
#pragma once

#include <string>
#include <vector>

namespace trainsim::io {

class Table {
 public:
  enum class Align { left, right };

  explicit Table(std::vector<std::string> header, std::vector<Align> align = {});
  void add(std::vector<std::string> row);
  void rule();  // a separator line before the next row
  [[nodiscard]] std::string render(const std::string& indent = "") const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

}  // namespace trainsim::io
