// The table of `nvidia-smi topo -m` as text, read the way real outputs come: the raw tab-separated
// output, or a paste where tabs became runs of spaces (also indented, or with tabs and spaces
// mixed); ANSI underlining of the header; CRLF line ends; text before the header (the command line,
// "NVIDIA Topology:") and after the matrix (the legend, the NIC legend, a p2p matrix, notes).
// Columns: GPU# and any other device (NIC#, or NICs named by device: mlx5_0, ib0, bnxt_re0, ...),
// then CPU Affinity, NUMA Affinity and GPU NUMA ID when present. Only the structure is read here;
// the cells are checked by parse_nvidia_smi_topo.
#pragma once

#include <string>
#include <vector>

namespace trainsim::io::topo_text {

struct Cell {
  std::string text;  // trimmed; "" when a field is empty
  int column = 0;    // 1-based character column in its line
};

struct Row {
  std::string label;
  int line = 0;
  std::vector<Cell> cells;  // one per device column (fewer when the row is ragged)
  Cell cpu_affinity, numa_affinity;  // text "" when absent or empty
};

struct Table {
  int header_line = 0;
  std::vector<Cell> devices;  // the device columns of the header, in order
  std::vector<Row> rows;      // one per device (checked by the caller)
};

// InputError (file:line:column) when there is no header or a row cannot be read unambiguously.
[[nodiscard]] Table read_table(const std::string& text, const std::string& file);

[[nodiscard]] bool is_gpu_column(const std::string& name);

}  // namespace trainsim::io::topo_text
