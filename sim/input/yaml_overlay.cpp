#include "sim/input/yaml_overlay.hpp"

namespace trainsim::io {

namespace {

bool is_map(const YAML::Node& n) { return n.IsDefined() && n.IsMap(); }

// The value under `key`, or an undefined node; never inserts (const access).
YAML::Node find(const YAML::Node& map, const std::string& key) {
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

void put(YAML::Node dst, const std::string& key, const YAML::Node& value) {
  YAML::Node existing = find(dst, key);
  if (existing.IsDefined()) {
    existing = value;  // the key keeps its position; the value node now shares `value`'s data
  } else {
    dst.force_insert(YAML::Node(key), value);
  }
}

void overlay(YAML::Node dst, const YAML::Node& src) {
  if (!is_map(dst) || !is_map(src)) return;
  for (const auto& kv : src) {
    if (!kv.first.IsScalar()) continue;
    YAML::Node existing = find(dst, kv.first.Scalar());
    if (!existing.IsDefined()) {
      dst.force_insert(kv.first, kv.second);  // the key node too: an unknown key keeps its position
    } else if (is_map(existing) && is_map(kv.second)) {
      overlay(existing, kv.second);
    } else {
      existing = kv.second;
    }
  }
}

void underlay(YAML::Node dst, const YAML::Node& src) {
  if (!is_map(dst) || !is_map(src)) return;
  for (const auto& kv : src) {
    if (!kv.first.IsScalar()) continue;
    YAML::Node existing = find(dst, kv.first.Scalar());
    if (!existing.IsDefined()) {
      dst.force_insert(kv.first, kv.second);
    } else if (is_map(existing) && is_map(kv.second)) {
      underlay(existing, kv.second);
    }
  }
}

}  // namespace trainsim::io
