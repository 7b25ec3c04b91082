#include "sim/topo/node_spec.hpp"

namespace trainsim {

namespace {
template <typename E>
std::optional<E> parse_enum(std::string_view s, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}
}  // namespace

const std::vector<std::string>& vertex_kind_names() {
  static const std::vector<std::string> names{"gpu",      "pcie_switch",   "root_complex", "host",
                                              "nvswitch", "nvlink_bridge", "nic",          "storage", "net_switch"};
  return names;
}

std::string_view to_string(VertexKind k) { return vertex_kind_names()[static_cast<std::size_t>(k)]; }

std::optional<VertexKind> parse_vertex_kind(std::string_view s) {
  return parse_enum<VertexKind>(s, vertex_kind_names());
}

const std::vector<std::string>& link_kind_names() {
  static const std::vector<std::string> names{"pcie", "nvlink", "nvswitch", "host_memory", "smp", "network", "storage"};
  return names;
}

std::optional<LinkKind> parse_link_kind(std::string_view s) { return parse_enum<LinkKind>(s, link_kind_names()); }

const std::vector<std::string>& interconnect_names() {
  static const std::vector<std::string> names{"pcie", "nvlink-pairs", "nvlink-mesh", "nvswitch"};
  return names;
}

std::string_view to_string(Interconnect i) { return interconnect_names()[static_cast<std::size_t>(i)]; }

std::optional<Interconnect> parse_interconnect(std::string_view s) {
  return parse_enum<Interconnect>(s, interconnect_names());
}

}  // namespace trainsim
