#include "sim/hw/fabric.hpp"

namespace trainsim {

const std::vector<std::string>& fabric_names() {
  static const std::vector<std::string> names{"infiniband", "roce", "ethernet"};
  return names;
}

std::string_view to_string(Fabric f) { return fabric_names()[static_cast<std::size_t>(f)]; }

std::optional<Fabric> parse_fabric(std::string_view s) {
  const auto& names = fabric_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) return static_cast<Fabric>(i);
  }
  return std::nullopt;
}

FabricOverride fabric_override(Fabric f) {
  switch (f) {
    case Fabric::infiniband:
    case Fabric::roce: return {std::nullopt, std::nullopt, "RDMA (IB verbs transport): the catalog's network link class"};
    case Fabric::ethernet:
      // TCP over a 1500-byte MTU: 1448 payload bytes (TCP and IP headers with timestamps taken
      // out) per 1538 bytes on the wire (Ethernet header, FCS, preamble and inter-frame gap):
      // 0.941. One-way latency of a kernel TCP send through one switch: ~15 us (half of the
      // ~30 us netperf TCP_RR round trip on 10/25 GbE).
      return {1448.0 / 1538.0, 15.0, "TCP over 1500-byte MTU: 1448/1538 bytes on the wire; ~15 us one-way kernel TCP latency"};
  }
  return {};
}

}  // namespace trainsim
