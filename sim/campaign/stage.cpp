#include "sim/campaign/stage.hpp"

namespace trainsim::campaign {

std::string_view to_string(Placement p) { return p == Placement::ddp ? "ddp" : "packed"; }

std::optional<Placement> parse_placement(std::string_view s) {
  if (s == "ddp") return Placement::ddp;
  if (s == "packed") return Placement::packed;
  return std::nullopt;
}

}  // namespace trainsim::campaign
