// Strict YAML reading with locations: every error names file:line:column, the key path, the value
// and what was expected. Unknown keys are errors with the nearest valid key suggested.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "sim/util/error.hpp"
#include "sim/util/files.hpp"  // read_text_file, write_text_file_atomic

namespace trainsim::io {

// A YAML node with the file it came from and its key path ("workload.dataset.images").
class YNode {
 public:
  YNode() = default;
  YNode(YAML::Node node, std::string file, std::string path);

  // Parses text; syntax errors become InputError at the line and column yaml-cpp reports.
  [[nodiscard]] static YNode parse(const std::string& text, const std::string& file);

  [[nodiscard]] const YAML::Node& raw() const { return node_; }
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] SourceLocation where() const;
  [[nodiscard]] bool defined() const { return node_.IsDefined() && !node_.IsNull(); }
  [[nodiscard]] bool is_map() const { return node_.IsMap(); }
  [[nodiscard]] bool is_seq() const { return node_.IsSequence(); }
  [[nodiscard]] bool is_scalar() const { return node_.IsScalar(); }
  [[nodiscard]] std::string text() const;  // the scalar as written, or a short rendering

  // Map access. `get` returns an undefined YNode (with this node's location) when absent.
  [[nodiscard]] bool has(const std::string& key) const;
  [[nodiscard]] YNode get(const std::string& key) const;
  [[nodiscard]] YNode require(const std::string& key, const std::string& expected) const;
  [[nodiscard]] std::vector<std::string> keys() const;
  // Throws on a key outside `allowed`, suggesting the nearest.
  void allow_only(const std::vector<std::string>& allowed) const;
  void expect_map(const std::string& expected) const;

  // Sequence access.
  [[nodiscard]] std::size_t size() const { return node_.size(); }
  [[nodiscard]] YNode at(std::size_t i) const;
  [[nodiscard]] std::vector<YNode> items(const std::string& expected) const;

  // Scalars, checked. Numbers must be finite; ranges are inclusive.
  [[nodiscard]] std::string as_string(const std::string& expected = "a string") const;
  [[nodiscard]] double as_double(double min, double max, const std::string& expected) const;
  [[nodiscard]] long long as_int(long long min, long long max, const std::string& expected) const;
  [[nodiscard]] bool as_bool() const;
  [[nodiscard]] std::string as_enum(const std::vector<std::string>& allowed) const;

  [[nodiscard]] InputError error(const std::string& expected) const;
  [[nodiscard]] InputError error(const std::string& value, const std::string& expected) const;

 private:
  YAML::Node node_;
  std::string file_;
  std::string path_;
  int line_ = 0;  // of the parent when this node is undefined
  int column_ = 0;
};

}  // namespace trainsim::io
