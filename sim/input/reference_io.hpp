// The reference measurements that `trainsim validate` compares with (platforms/reference/*.csv),
// checked where they are read.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/coll_types.hpp"
#include "sim/hw/units.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim::io {

// "large" in allreduce.csv: a published peak at large sizes; nccl-tests' usual largest size.
inline constexpr Bytes kLargeReferenceBytes = 8.0 * 1024 * 1024 * 1024;

struct AllreduceReference {
  std::string gpu;  // catalog name
  int gpus = 0;
  Interconnect interconnect = Interconnect::nvswitch;
  Bytes bytes = 0;
  std::string bytes_text;  // as written ("large" or a number)
  Algorithm algorithm = Algorithm::auto_;
  double busbw_gbps = 0;
  std::string kind;  // how the figure was published (measurement, maintainer-statement, summary)
  SourceLocation where;
};

// allreduce.csv: gpu,gpus,interconnect,bytes,algorithm,busbw_gbps,kind.
[[nodiscard]] std::vector<AllreduceReference> load_allreduce_reference(const std::string& path, const Catalog& catalog);

// allreduce-multinode.csv: platform,bytes,busbw_gbps,kind,source. `platform` is a preset name or a
// path relative to the file's folder (returned resolved).
struct MultinodeReference {
  std::string platform;
  Bytes bytes = 0;
  std::string bytes_text;
  double busbw_gbps = 0;
  std::string kind;
  std::string source;
  SourceLocation where;
};

[[nodiscard]] std::vector<MultinodeReference> load_multinode_reference(const std::string& path);

}  // namespace trainsim::io
