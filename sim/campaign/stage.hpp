// A campaign's stages as plain data: names, dependencies (each with where it was written, for
// errors), how many runs, and how runs are placed on the node's GPUs. io reads them from a campaign
// file (docs/campaigns.md); the scenarios of each run are built beside them, not kept here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/util/error.hpp"

namespace trainsim::campaign {

// ddp: each run on all GPUs of the node. packed: one run per GPU, runs side by side.
enum class Placement { ddp, packed };

[[nodiscard]] std::string_view to_string(Placement p);
[[nodiscard]] std::optional<Placement> parse_placement(std::string_view s);

struct StageRef {
  std::string name;
  SourceLocation where;
};

struct StageSpec {
  std::string name;
  SourceLocation where;
  std::vector<StageRef> after;  // stages whose runs must all be over before this one starts
  int runs = 1;
  Placement placement = Placement::ddp;
};

}  // namespace trainsim::campaign
