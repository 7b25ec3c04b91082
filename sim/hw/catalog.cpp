#include "sim/hw/catalog.hpp"

#include <algorithm>
#include <cmath>

#include "sim/util/strings.hpp"

namespace trainsim {

std::string_view to_string(LinkKind k) {
  switch (k) {
    case LinkKind::pcie: return "pcie";
    case LinkKind::nvlink: return "nvlink";
    case LinkKind::nvswitch: return "nvswitch";
    case LinkKind::host_memory: return "host_memory";
    case LinkKind::smp: return "smp";
    case LinkKind::network: return "network";
    case LinkKind::storage: return "storage";
  }
  return "?";
}

const GpuSpec* Catalog::find_gpu(std::string_view name) const {
  for (const auto& g : gpus) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

const GpuSpec& Catalog::gpu(std::string_view name, const SourceLocation& where, std::string_view key) const {
  if (const auto* g = find_gpu(name)) return *g;
  throw InputError(where, std::string(key), std::string(name), "a GPU of the catalog, " + one_of(name, gpu_names()));
}

const ComputeGeneration& Catalog::generation_of(const GpuSpec& gpu) const {
  for (const auto& g : generations) {
    if (g.name == gpu.generation) return g;
  }
  std::vector<std::string> names;
  for (const auto& g : generations) names.push_back(g.name);
  throw InputError(gpu.where, "gpus." + gpu.name + ".generation", gpu.generation,
                   "a generation listed under 'generations:', " + one_of(gpu.generation, names));
}

double LinkClass::nvls_efficiency_of(std::string_view generation) const {
  for (const auto& [gen, eff] : nvls_efficiency) {
    if (gen == generation) return eff;
  }
  return 0.0;
}

double LinkClass::efficiency_of_nvlink(int nvlink_generation) const {
  for (const auto& [gen, eff] : by_nvlink_generation) {
    if (gen == nvlink_generation) return eff;
  }
  return efficiency;
}

void resolve_physics(Catalog& c) {
  for (auto& gen : c.generations) gen.physics = c.physics;
  for (auto& g : c.gpus) {
    GpuPhysics& ph = g.physics;
    ph.sustained_clock_mhz = ph.peak_clock_mhz;
    // A training loop's power is set by its tensor work: a part at full power runs it at the clock its
    // dense peaks are quoted at, the clock the cube law below starts from for a power-limited part.
    ph.loaded_clock_mhz = std::clamp(ph.peak_clock_mhz, ph.base_clock_mhz, ph.boost_clock_mhz);
    if (ph.power_reference.empty()) continue;
    const GpuSpec& ref = c.gpu(ph.power_reference, g.where, "gpus." + g.name + ".physics.power_reference");
    const double watts_per_sm = g.tdp_w / g.sm_count;
    const double ref_watts_per_sm = ref.tdp_w / ref.sm_count;
    const double f = ref.physics.peak_clock_mhz * std::pow(watts_per_sm / ref_watts_per_sm, c.physics.power_exponent);
    ph.sustained_clock_mhz = std::clamp(f, ph.base_clock_mhz, ph.peak_clock_mhz);
    ph.loaded_clock_mhz = std::clamp(f, ph.base_clock_mhz, ph.boost_clock_mhz);
  }
}

const LinkClass& Catalog::link_class(LinkKind kind) const {
  for (const auto& l : links) {
    if (l.kind == kind) return l;
  }
  throw InputError(SourceLocation{file}, "links", std::string(to_string(kind)),
                   "an entry for every kind of link under 'links:' in the catalog");
}

std::vector<std::string> Catalog::gpu_names() const {
  std::vector<std::string> names;
  names.reserve(gpus.size());
  for (const auto& g : gpus) names.push_back(g.name);
  return names;
}

}  // namespace trainsim
