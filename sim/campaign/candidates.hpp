// The platforms `trainsim advise` weighs (docs/advise.md): by default every GPU of the catalog at
// 1, 2, 4 and 8 per node with its usual interconnect, plus the node presets. A candidate is a node
// reference as a campaign takes it: a preset name, a node file, or an inline compact map.
//
// To add a family of candidates (cluster presets, say), add a source to default_candidates: a
// function that appends Candidates; the advisor simulates whatever the list holds.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/topo/node_spec.hpp"

namespace trainsim::campaign {

struct Candidate {
  std::string name;  // the node's name in tables
  std::string ref;   // what the campaign planner loads: preset, file, or "{name: .., gpu: .., count: ..}"
  std::string origin;  // "generated" (catalog GPU x count), "preset", "command line"
};

// What a compact node preset describes (full-form presets have no GPU/count/interconnect triple).
struct PresetShape {
  std::string name;
  std::string gpu;
  int count = 0;
  Interconnect interconnect = Interconnect::pcie;
};

// How nodes of `count` such GPUs are usually connected: PCIe for one GPU, for cards without NVLink
// and for cards whose NVLink is an optional bridge (GeForce, PCIe cards: bridges are an extra few
// buy); SXM modules sit on an NVSwitch baseboard (HGX) from NVLink 3 (A100) on, and V100 SXM2
// boards connect each GPU directly to the others of its quad (DGX-1): nvlink-mesh.
[[nodiscard]] Interconnect usual_interconnect(const GpuSpec& gpu, int count);

// The compact map of a generated candidate, as an inline flow map.
[[nodiscard]] std::string inline_node(const std::string& name, const std::string& gpu, int count, Interconnect ic);

// Every catalog GPU at each of `counts` per node with its usual interconnect (a combination a
// compact preset already describes is taken from the preset, with its real CPU), then every
// preset not yet listed, in name order.
[[nodiscard]] std::vector<Candidate> default_candidates(const Catalog& catalog, const std::vector<PresetShape>& compact_presets,
                                                        const std::vector<std::string>& all_presets,
                                                        const std::vector<int>& counts = {1, 2, 4, 8});

}  // namespace trainsim::campaign
