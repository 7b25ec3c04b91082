#include "sim/util/json.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
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

namespace {

// Writes a Json value through a RapidJSON writer. Numbers go in as the shortest text that reads
// back bit-identical (format_double), so that output is the same on every platform; arrays of
// numbers stay on one line (matrices read better that way).
template <typename Writer>
class Emitter {
 public:
  explicit Emitter(Writer& w) : w_(w) {}
  void value(const Json& j);

 private:
  Writer& w_;
};

using Buffer = rapidjson::StringBuffer;
using Compact = rapidjson::Writer<Buffer>;
using Pretty = rapidjson::PrettyWriter<Buffer>;

template <typename Writer>
void single_line(Writer&, bool) {}
template <>
void single_line<Pretty>(Pretty& w, bool on) {
  w.SetFormatOptions(on ? rapidjson::kFormatSingleLineArray : rapidjson::kFormatDefault);
}

}  // namespace

std::string json_escape(const std::string& s) {
  Buffer buf;
  Compact w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buf.GetString(), buf.GetSize());
}

std::string Json::dump(int indent) const {
  Buffer buf;
  if (indent < 0) {
    Compact w(buf);
    dump_to(w);
  } else {
    Pretty w(buf);
    w.SetIndent(' ', static_cast<unsigned>(indent));
    dump_to(w);
  }
  return std::string(buf.GetString(), buf.GetSize());
}

template <typename Writer>
void Json::dump_to(Writer& w) const {
  if (std::holds_alternative<std::monostate>(value_)) {
    w.Null();
  } else if (const auto* b = std::get_if<bool>(&value_)) {
    w.Bool(*b);
  } else if (const auto* d = std::get_if<double>(&value_)) {
    if (!std::isfinite(*d)) {
      w.Null();  // JSON has no NaN
    } else {
      const std::string text = format_double(*d);
      w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
    }
  } else if (const auto* s = std::get_if<std::string>(&value_)) {
    w.String(s->data(), static_cast<rapidjson::SizeType>(s->size()));
  } else if (const auto* a = std::get_if<Array>(&value_)) {
    bool flat = true;
    for (const auto& v : *a) flat = flat && std::holds_alternative<double>(v.value_);
    w.StartArray();
    if (flat) single_line(w, true);  // after StartArray: the array's own place in its parent is unchanged
    for (const auto& v : *a) v.dump_to(w);
    w.EndArray();
    if (flat) single_line(w, false);
  } else if (const auto* o = std::get_if<Object>(&value_)) {
    w.StartObject();
    for (const auto& [k, v] : *o) {
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      v.dump_to(w);
    }
    w.EndObject();
  }
}

}  // namespace trainsim
