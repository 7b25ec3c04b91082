// A small JSON value for `--json` output: objects keep their insertion order so that output is
// stable and diffable. Numbers are written as the shortest text that reads back bit-identical.
// RapidJSON writes it (json.cpp), as it reads profiler traces: one JSON library in the project.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace trainsim {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool b) : value_(b) {}
  Json(int v) : value_(static_cast<double>(v)) {}
  Json(long v) : value_(static_cast<double>(v)) {}
  Json(long long v) : value_(static_cast<double>(v)) {}
  Json(unsigned v) : value_(static_cast<double>(v)) {}
  Json(unsigned long v) : value_(static_cast<double>(v)) {}
  Json(unsigned long long v) : value_(static_cast<double>(v)) {}
  Json(double v) : value_(v) {}
  Json(const char* s) : value_(std::string(s)) {}
  Json(std::string s) : value_(std::move(s)) {}
  Json(Array a) : value_(std::move(a)) {}
  Json(Object o) : value_(std::move(o)) {}
  template <typename T>
  Json(const std::optional<T>& o) {
    if (o) *this = Json(*o);
  }

  [[nodiscard]] static Json array() { return Json(Array{}); }
  [[nodiscard]] static Json object() { return Json(Object{}); }

  // Object access: appends the key when missing. Throws std::logic_error on a non-object.
  Json& operator[](const std::string& key);
  // Array append. Throws std::logic_error on a non-array.
  void push_back(Json v);

  [[nodiscard]] bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  [[nodiscard]] bool is_object() const { return std::holds_alternative<Object>(value_); }
  [[nodiscard]] bool is_array() const { return std::holds_alternative<Array>(value_); }
  [[nodiscard]] const Object& as_object() const { return std::get<Object>(value_); }
  [[nodiscard]] const Array& as_array() const { return std::get<Array>(value_); }

  // indent < 0: one line. Non-finite numbers are written as null (JSON has no NaN).
  [[nodiscard]] std::string dump(int indent = 2) const;

 private:
  template <typename Writer>
  void dump_to(Writer& w) const;
  std::variant<std::monostate, bool, double, std::string, Array, Object> value_;
};

[[nodiscard]] std::string json_escape(const std::string& s);

}  // namespace trainsim
