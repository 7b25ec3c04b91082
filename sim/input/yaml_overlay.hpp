// Laying one YAML map over another IN PLACE, keeping every node's file position: the nodes of
// `src` are linked into `dst`, not copied, so that an error in a stage override still names its
// own line and column. (io::deep_merge copies through YAML::Clone, which drops positions.)
// Both functions change `dst` and share nodes with `src`: use them on a tree parsed for the
// purpose, e.g. a fresh parse of the campaign file for each run that is built from it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace trainsim::io {

// `src` wins: maps merge key by key (recursively), anything else in `src` replaces.
void overlay(YAML::Node dst, const YAML::Node& src);

// `dst` wins: keys of `src` that `dst` lacks are added; maps present in both merge recursively.
void underlay(YAML::Node dst, const YAML::Node& src);

// Sets dst[key] to `value` (linked, positions kept), adding the key when it is missing.
void put(YAML::Node dst, const std::string& key, const YAML::Node& value);

}  // namespace trainsim::io
