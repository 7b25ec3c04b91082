// Running collectives in a simulation of their own, for `trainsim collective` and the validation
// table: one simulation runs every size, one after another (the next size is built when the
// previous one's last rank is done). No SimGrid here.
#pragma once

#include <functional>
#include <vector>

#include "sim/engine/coll_types.hpp"
#include "sim/hw/units.hpp"
#include "sim/topo/topology.hpp"

namespace trainsim {

struct CollectiveSweep {
  CollOp op = CollOp::all_reduce;
  Algorithm algorithm = Algorithm::auto_;
  std::vector<Bytes> sizes;  // nccl-tests sizes, run in this order
  std::vector<int> ranks;    // GPU indices; empty: every GPU of the node
  int root = 0;              // broadcast: position in ranks
  int channels = 0;          // 0: from the topology
};

struct CollectiveRow {
  Bytes bytes = 0;
  Seconds time = 0;            // from the build to the last rank done
  Algorithm algorithm = Algorithm::ring;
  int transfers = 0;
  Seconds predicted = 0;       // the alpha-beta formula for the same algorithm
};

// Creates this process's simulation (one per process) and runs the sweep. `on_row` is called as
// each size completes (progress). Throws InputError for an algorithm the node does not support.
[[nodiscard]] std::vector<CollectiveRow> run_collective_sweep(const Topology& topo, const CollectiveSweep& sweep,
                                                              const std::function<void(const CollectiveRow&)>& on_row = {});

}  // namespace trainsim
