#include "sim/input/yaml_edit.hpp"

#include "sim/input/node_io.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

YAML::Node clone(const YAML::Node& n) { return YAML::Clone(n); }

YAML::Node deep_merge(const YAML::Node& base, const YAML::Node& over) {
  if (!over.IsDefined() || over.IsNull()) return clone(base);
  if (!base.IsDefined() || base.IsNull() || !base.IsMap() || !over.IsMap()) return clone(over);
  YAML::Node out = clone(base);
  for (const auto& kv : over) {
    const std::string key = kv.first.as<std::string>();
    out[key] = out[key].IsDefined() ? deep_merge(out[key], kv.second) : clone(kv.second);
  }
  return out;
}

std::vector<std::string> split_key_path(const std::string& path) { return split(path, '.'); }

void set_path(YAML::Node& root, const std::string& path, const YAML::Node& value, const SourceLocation& where) {
  const auto parts = split_key_path(path);
  if (parts.empty() || path.empty()) throw InputError(where, path, path, "a key path like workload.batch_per_gpu");
  for (const auto& p : parts) {
    if (p.empty()) throw InputError(where, path, path, "a key path without empty parts (a.b.c)");
  }
  if (!root.IsMap()) throw InputError(where, path, "not a map", "a scenario or campaign map to set it in");
  // A platform given as a preset name becomes the preset's map when a key below it is set.
  if (parts.size() > 1 && parts[0] == "platform" && root["platform"].IsScalar()) {
    const std::string file = node_file_path(root["platform"].as<std::string>(), where, "platform");
    root["platform"] = YAML::Load(read_text_file(file, "a node file"));
  }
  // yaml-cpp: `a = b` on nodes copies b into what a refers to; reset() rebinds.
  YAML::Node cur;
  cur.reset(root);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string upto = join({parts.begin(), parts.begin() + static_cast<long>(i)}, ".");
    if (cur.IsSequence()) {
      // A list of named maps (a campaign's stages): the entry whose name: is this part.
      std::vector<std::string> names;
      bool found = false;
      for (YAML::Node entry : cur) {
        const YAML::Node name = entry.IsMap() ? entry["name"] : YAML::Node();
        if (!name.IsDefined() || !name.IsScalar()) continue;
        names.push_back(name.Scalar());
        if (name.Scalar() == parts[i] && !found) {
          cur.reset(entry);
          found = true;
        }
      }
      if (!found) {
        throw InputError(where, path, parts[i],
                         "the name of an entry of the list at '" + upto + "'" +
                             (names.empty() ? " (it has no named entries)" : " (" + join(names, ", ") + ")") +
                             ", not '" + parts[i] + "'");
      }
      if (i + 1 == parts.size()) {
        throw InputError(where, path, parts[i], "a key below the list entry '" + parts[i] + "' (a whole entry is not replaced)");
      }
      continue;
    }
    if (i + 1 == parts.size()) break;
    YAML::Node next;
    next.reset(cur[parts[i]]);
    if (!next.IsDefined() || next.IsNull()) {
      cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next.reset(cur[parts[i]]);
    } else if (!next.IsMap() && !next.IsSequence()) {
      throw InputError(where, path, next.Scalar(),
                       "a map at '" + join({parts.begin(), parts.begin() + static_cast<long>(i) + 1}, ".") +
                           "' to set '" + parts[i + 1] + "' in");
    }
    cur.reset(next);
  }
  cur[parts.back()] = clone(value);
}

std::string to_text(const YAML::Node& n) {
  YAML::Emitter e;
  e << n;
  return std::string(e.c_str()) + "\n";
}

}  // namespace trainsim::io
