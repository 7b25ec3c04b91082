#include "sim/campaign/candidates.hpp"

#include <algorithm>

namespace trainsim::campaign {

Interconnect usual_interconnect(const GpuSpec& gpu, int count) {
  if (count <= 1 || gpu.nvlink.links == 0 || gpu.nvlink.bridge) return Interconnect::pcie;
  return gpu.nvlink.generation >= 3 ? Interconnect::nvswitch : Interconnect::nvlink_mesh;
}

std::string inline_node(const std::string& name, const std::string& gpu, int count, Interconnect ic) {
  return "{name: " + name + ", gpu: " + gpu + ", count: " + std::to_string(count) + ", interconnect: " +
         std::string(to_string(ic)) + "}";
}

std::vector<Candidate> default_candidates(const Catalog& catalog, const std::vector<PresetShape>& compact_presets,
                                          const std::vector<std::string>& all_presets, const std::vector<int>& counts) {
  std::vector<Candidate> out;
  const auto listed = [&](const std::string& name) {
    return std::any_of(out.begin(), out.end(), [&](const Candidate& c) { return c.name == name; });
  };
  for (const GpuSpec& gpu : catalog.gpus) {
    for (int count : counts) {
      // V100 SXM2 in eights is the DGX-1's hybrid cube mesh, a full-form preset, not a compact mesh.
      const Interconnect ic = usual_interconnect(gpu, count);
      if (ic == Interconnect::nvlink_mesh && count > 4) continue;
      const auto preset = std::find_if(compact_presets.begin(), compact_presets.end(), [&](const PresetShape& p) {
        return p.gpu == gpu.name && p.count == count && p.interconnect == ic;
      });
      if (preset != compact_presets.end()) {
        if (!listed(preset->name)) out.push_back({preset->name, preset->name, "preset"});
        continue;
      }
      std::string name = std::to_string(count) + "x-" + gpu.name;
      if (count > 1) name += "-" + std::string(to_string(ic));
      out.push_back({name, inline_node(name, gpu.name, count, ic), "generated"});
    }
  }
  for (const std::string& p : all_presets) {
    if (!listed(p)) out.push_back({p, p, "preset"});
  }
  return out;
}

}  // namespace trainsim::campaign
