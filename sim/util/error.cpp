#include "sim/util/error.hpp"

#include <utility>

namespace trainsim {

std::string SourceLocation::to_string() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out;
}

namespace {
std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  constexpr std::size_t max_value = 80;
  if (s.size() > max_value) s = s.substr(0, max_value - 3) + "...";
  return s;
}

std::string compose(const SourceLocation& where, const std::string& key, const std::string& value,
                    const std::string& expected) {
  std::string msg = where.to_string() + ":";
  if (!key.empty()) msg += " key '" + key + "':";
  msg += " value '" + one_line(value) + "': expected " + expected;
  return msg;
}
}  // namespace

InputError::InputError(SourceLocation where, std::string key, std::string value, std::string expected)
    : std::runtime_error(compose(where, key, value, expected)),
      where_(std::move(where)),
      key_(std::move(key)),
      value_(std::move(value)),
      expected_(std::move(expected)) {}

}  // namespace trainsim
