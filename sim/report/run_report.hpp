// `trainsim run` output: the text report and the JSON object, and reading that JSON back (the
// parent of a child simulation reads its summary this way).
#pragma once

#include <optional>
#include <string>

#include "sim/engine/results.hpp"
#include "sim/util/json.hpp"

namespace trainsim::io {

struct Baseline {
  double images_per_s = 0;  // the same workload on one GPU of the node
};

[[nodiscard]] Json run_json(const RunSummary& s, const std::optional<Baseline>& baseline);
[[nodiscard]] std::string run_text(const RunSummary& s, const std::optional<Baseline>& baseline);
// Reads the JSON of run_json (the keys it needs); throws RuntimeError on malformed text.
[[nodiscard]] RunSummary parse_run_json(const std::string& text);

}  // namespace trainsim::io
