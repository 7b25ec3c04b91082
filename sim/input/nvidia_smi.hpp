// Building a node from the text of `nvidia-smi topo -m`.
//
// Cells: X (self), NV# (# bonded NVLinks of the GPU's generation), PIX (one PCIe switch), PXB
// (several switches, no host bridge), PHB (through a PCIe host bridge), NODE (between host bridges
// of one NUMA node), SYS (across the SMP interconnect). Mangled text (lost tabs, an unknown cell,
// ragged rows, a matrix that is not square or not symmetric, relations no PCIe tree can give) is
// an InputError naming the row and column; nothing is guessed.
#pragma once

#include <string>

#include "sim/topo/node_spec.hpp"

namespace trainsim::io {

[[nodiscard]] NodeSpec parse_nvidia_smi_topo(const std::string& text, const std::string& file, const std::string& gpu,
                                             const Catalog& catalog);

}  // namespace trainsim::io
