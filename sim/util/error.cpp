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
// Length of the valid UTF-8 sequence at `i`, or 0 when the bytes there are not one.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto u = static_cast<unsigned char>(s[i]);
  const std::size_t n = u >= 0xF0 && u <= 0xF4 ? 4 : u >= 0xE0 ? 3 : u >= 0xC2 && u <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

std::string one_line(const std::string& in) {
  // Control characters and bytes that are not UTF-8 (binary junk) are written as \xNN so that
  // the message stays one printable line of text.
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r' || c == '\t') {
      s += ' ';
    } else if (u >= 0x80) {
      const std::size_t n = utf8_length(in, i);
      if (n == 0) {
        s += "\\x";
        s += hex[u >> 4];
        s += hex[u & 15];
      } else {
        s += in.substr(i, n);
        i += n - 1;
      }
    } else if (u < 0x20 || u == 0x7f) {
      s += "\\x";
      s += hex[u >> 4];
      s += hex[u & 15];
    } else {
      s += c;
    }
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
