#include "sim/util/json.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sim/util/strings.hpp"

namespace trainsim {

Json& Json::operator[](const std::string& key) {
  if (is_null()) value_ = Object{};
  auto* obj = std::get_if<Object>(&value_);
  if (obj == nullptr) throw std::logic_error("Json::operator[] on a value that is not an object");
  for (auto& [k, v] : *obj) {
    if (k == key) return v;
  }
  obj->emplace_back(key, Json());
  return obj->back().second;
}

void Json::push_back(Json v) {
  if (is_null()) value_ = Array{};
  auto* arr = std::get_if<Array>(&value_);
  if (arr == nullptr) throw std::logic_error("Json::push_back on a value that is not an array");
  arr->push_back(std::move(v));
}

std::string json_escape(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string Json::dump(int indent) const {
  std::string out;
  dump_to(out, indent, 0);
  return out;
}

void Json::dump_to(std::string& out, int indent, int depth) const {
  const auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * d), ' ');
  };
  if (std::holds_alternative<std::monostate>(value_)) {
    out += "null";
  } else if (const auto* b = std::get_if<bool>(&value_)) {
    out += *b ? "true" : "false";
  } else if (const auto* d = std::get_if<double>(&value_)) {
    out += std::isfinite(*d) ? format_double(*d) : "null";
  } else if (const auto* s = std::get_if<std::string>(&value_)) {
    out += json_escape(*s);
  } else if (const auto* a = std::get_if<Array>(&value_)) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    // Arrays of numbers stay on one line: matrices read better that way.
    bool flat = true;
    for (const auto& v : *a) flat = flat && std::holds_alternative<double>(v.value_);
    out += '[';
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (i > 0) out += flat || indent < 0 ? (indent < 0 ? "," : ", ") : ",";
      if (!flat) newline(depth + 1);
      (*a)[i].dump_to(out, indent, depth + 1);
    }
    if (!flat) newline(depth);
    out += ']';
  } else if (const auto* o = std::get_if<Object>(&value_)) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    out += '{';
    for (std::size_t i = 0; i < o->size(); ++i) {
      if (i > 0) out += ',';
      newline(depth + 1);
      out += json_escape((*o)[i].first);
      out += indent < 0 ? ":" : ": ";
      (*o)[i].second.dump_to(out, indent, depth + 1);
    }
    newline(depth);
    out += '}';
  }
}

}  // namespace trainsim
