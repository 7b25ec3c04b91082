// The node a reference row ran on, from the row's own GPU, GPU count and source
// (platforms/reference/training-throughput.csv's header names the systems).
//
// DeepLearningExamples (source `dle`) ran on NVIDIA DGX systems: DGX-1 (8 x V100 SXM2, 8 loader
// workers per GPU) and DGX A100 (8 x A100 SXM4, 10 workers per GPU). A row whose GPU is the same
// board as a system's own (same NVLink and PCIe: a V100 SXM2 32GB in a DGX-1, an A100 SXM4 40GB in a
// DGX A100) runs on that system with its own GPU in every GPU slot, or, for another GPU count, on a
// compact node of the system's interconnect. Every other row runs on a compact node of its GPU and
// count: NVSwitch for SXM parts with NVLink, PCIe for cards (Lambda's baseboards and workstations).
// A GPU the catalog lacks, or a node that cannot be built, is an InputError naming the row.
#pragma once

#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/input/throughput_reference.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim::validation {

struct RowNode {
  NodeSpec node;
  int workers_per_gpu = 10;  // loader workers per GPU of the source's system
};

[[nodiscard]] RowNode node_for(const io::ThroughputRow& row, const Catalog& catalog);

// Every row's GPU is in the catalog, also the rows a table leaves out (a gpus > 1 row with no
// gpus = 1 row to compare with): an InputError names the first row that is not.
void check_gpus(const std::vector<io::ThroughputRow>& rows, const Catalog& catalog);

}  // namespace trainsim::validation
