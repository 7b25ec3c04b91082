#include "sim/validation/row_node.hpp"

#include <string_view>

#include "sim/input/node_io.hpp"

namespace trainsim::validation {

namespace {

struct SourceSystem {
  std::string_view source;
  std::string_view preset;  // platforms/nodes
  int workers_per_gpu;      // DLE's README: 10 loader workers per GPU on DGX A100, 8 on DGX-1
};

constexpr SourceSystem kSystems[] = {
    {"dle", "8x-v100-sxm2-dgx1", 8},
    {"dle", "8x-a100-sxm4-nvswitch", 10},
};

// Workers per GPU where the source names none (synthetic data: the loader does not run).
constexpr int kDefaultWorkersPerGpu = 10;

bool same_board(const GpuSpec& a, const GpuSpec& b) {
  return a.nvlink.gbps_per_direction == b.nvlink.gbps_per_direction && a.nvlink.links == b.nvlink.links &&
         a.nvlink.generation == b.nvlink.generation && a.nvlink.bridge == b.nvlink.bridge && a.pcie.gen == b.pcie.gen &&
         a.pcie.lanes == b.pcie.lanes;
}

std::string first_gpu(const NodeSpec& node) {
  for (const auto& v : node.vertices) {
    if (v.kind == VertexKind::gpu) return v.gpu;
  }
  return {};
}

int gpu_count(const NodeSpec& node) {
  int n = 0;
  for (const auto& v : node.vertices) n += v.kind == VertexKind::gpu ? 1 : 0;
  return n;
}

Interconnect own_interconnect(const GpuSpec& gpu) {
  return gpu.nvlink.gbps_per_direction > 0 && !gpu.nvlink.bridge ? Interconnect::nvswitch : Interconnect::pcie;
}

NodeSpec compact_node(const io::ThroughputRow& row, Interconnect interconnect, const Catalog& catalog) {
  CompactNodeSpec c;
  c.gpu = row.gpu;
  c.count = row.gpus;
  c.interconnect = interconnect;
  c.cpu_cores = 16 * row.gpus;
  c.where = row.where;
  return expand(c, catalog, row.gpu + "-x" + std::to_string(row.gpus));
}

RowNode build(const io::ThroughputRow& row, const Catalog& catalog) {
  const GpuSpec& gpu = catalog.gpu(row.gpu, row.where, "gpu");
  for (const SourceSystem& sys : kSystems) {
    if (sys.source != row.source) continue;
    NodeSpec node = io::load_node(std::string(sys.preset), catalog, row.where, "gpu");
    if (!same_board(catalog.gpu(first_gpu(node)), gpu)) continue;
    if (gpu_count(node) != row.gpus) return {compact_node(row, own_interconnect(gpu), catalog), sys.workers_per_gpu};
    if (first_gpu(node) != row.gpu) {
      for (auto& v : node.vertices) {
        if (v.kind == VertexKind::gpu) v.gpu = row.gpu;
      }
      node.name += "-with-" + row.gpu;
      node.description = node.description + " With " + row.gpu + " in every GPU slot (the same board).";
    }
    return {node, sys.workers_per_gpu};
  }
  return {compact_node(row, own_interconnect(gpu), catalog), kDefaultWorkersPerGpu};
}

}  // namespace

RowNode node_for(const io::ThroughputRow& row, const Catalog& catalog) {
  try {
    return build(row, catalog);
  } catch (const InputError& e) {
    if (e.where().file == row.where.file && e.where().line == row.where.line) throw;  // names the row already
    // The row first: the node's own error may point into a preset file or at a compact form.
    throw InputError(row.where, "gpu", row.gpu,
                     "a node for the " + row.source + " row of " + std::to_string(row.gpus) + " x " + row.gpu +
                         " (" + e.what() + ")");
  }
}

void check_gpus(const std::vector<io::ThroughputRow>& rows, const Catalog& catalog) {
  for (const auto& row : rows) (void)catalog.gpu(row.gpu, row.where, "gpu");
}

}  // namespace trainsim::validation
