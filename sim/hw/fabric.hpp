// The fabrics between the machines of a cluster and what NCCL's transport over each loses. RDMA
// fabrics (InfiniBand, RoCE) use NCCL's IB verbs transport: the catalog's `network` link class
// (platforms/gpus.yaml) gives their efficiency and latency. Plain Ethernet uses NCCL's socket
// transport (TCP): its figures are here, each with its derivation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainsim {

enum class Fabric { infiniband, roce, ethernet };

[[nodiscard]] std::string_view to_string(Fabric f);
[[nodiscard]] std::optional<Fabric> parse_fabric(std::string_view s);
[[nodiscard]] const std::vector<std::string>& fabric_names();

struct FabricOverride {
  std::optional<double> efficiency;  // of the NIC's line rate; none: the catalog's network class
  std::optional<double> latency_us;  // one hop (NIC to switch); none: the catalog's network class
  std::string source;
};

[[nodiscard]] FabricOverride fabric_override(Fabric f);

}  // namespace trainsim
