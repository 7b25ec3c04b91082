// Building a node from the text of `nvidia-smi topo -m`.
//
// Cells: X (self), NV# (# bonded NVLinks of the GPU's generation), PIX (one PCIe switch), PXB
// (several switches, no host bridge), PHB (through a PCIe host bridge), NODE (between host bridges
// of one NUMA node), SYS (across the SMP interconnect; SOC in older drivers). The text is read as
// real outputs come (sim/import/nvidia_smi_table.hpp: tabs or runs of spaces, CRLF, NICs named by
// device, legends and notes around the matrix). Mangled text (an unknown cell, ragged rows, a matrix
// that is not square or not symmetric, affinity values that line up under no column, relations no
// PCIe tree can give) is an InputError naming the row and column; nothing is guessed.
#pragma once

#include <string>

#include "sim/topo/node_spec.hpp"

namespace trainsim::io {

[[nodiscard]] NodeSpec parse_nvidia_smi_topo(const std::string& text, const std::string& file, const std::string& gpu,
                                             const Catalog& catalog);

}  // namespace trainsim::io
