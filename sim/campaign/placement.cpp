#include "sim/campaign/placement.hpp"

#include <algorithm>
#include <cmath>

#include "sim/engine/run.hpp"
#include "sim/topo/cluster.hpp"

namespace trainsim::campaign {

Scenario gpu_slice(const Scenario& s) {
  Scenario out = s;
  out.platform = first_machine(out.platform);  // a cluster's slot: one GPU of a machine
  NodeSpec& node = out.platform;
  const auto gpus = std::count_if(node.vertices.begin(), node.vertices.end(),
                                  [](const VertexSpec& v) { return v.kind == VertexKind::gpu; });
  const auto hosts = std::count_if(node.vertices.begin(), node.vertices.end(),
                                   [](const VertexSpec& v) { return v.kind == VertexKind::host; });
  if (gpus <= 1) return out;
  const double share = static_cast<double>(std::max<long>(hosts, 1)) / static_cast<double>(gpus);
  std::vector<std::string> dropped;
  bool kept = false;
  std::vector<VertexSpec> vertices;
  for (VertexSpec v : node.vertices) {
    if (v.kind == VertexKind::gpu) {
      if (kept) {
        dropped.push_back(v.name);
        continue;
      }
      kept = true;
    }
    if (v.kind == VertexKind::host) {
      v.cores = std::max(1, static_cast<int>(std::floor(v.cores * share)));
      v.memory_gbps *= share;
    }
    vertices.push_back(std::move(v));
  }
  node.vertices = std::move(vertices);
  std::vector<LinkSpec> links;
  for (LinkSpec l : node.links) {
    const bool gone = std::find(dropped.begin(), dropped.end(), l.a) != dropped.end() ||
                      std::find(dropped.begin(), dropped.end(), l.b) != dropped.end();
    if (gone) continue;
    if (l.kind == LinkKind::host_memory) l.gbps_per_direction *= share;
    if (l.kind == LinkKind::storage) l.gbps_per_direction /= static_cast<double>(gpus);
    links.push_back(std::move(l));
  }
  node.links = std::move(links);
  node.storage.read_gbps /= static_cast<double>(gpus);
  node.description = "one GPU of " + (node.name.empty() ? std::string("the node") : node.name) +
                     " with its share of the host (packed placement)";
  return out;
}

FittedRun fit_batch(Scenario s, const Catalog& catalog, const LoaderCosts& loader) {
  FittedRun f;
  const int asked = s.workload.batch_per_gpu;
  const auto prepare = [&] { return prepare_run(s, catalog, loader); };
  std::optional<PreparedRun> prepared;
  try {
    prepared.emplace(prepare());
  } catch (const InputError& e) {
    if (asked == 0 || e.key() != "workload.batch_per_gpu") throw;
    s.workload.batch_per_gpu = 0;
    prepared.emplace(prepare());
    // The engine's message, without its memory breakdown: "a batch that fits X's N GB; it needs M GB".
    const std::string why = e.expected().substr(0, e.expected().find(" (params"));
    f.fallback = "batch " + std::to_string(asked) + " per GPU does not fit (" + why + "): auto, " +
                 std::to_string(prepared->plan.batch);
  }
  s.workload.batch_per_gpu = prepared->plan.batch;
  f.gpus = prepared->plan.gpus;
  f.batch_per_gpu = prepared->plan.batch;
  f.iterations = prepared->plan.total_iterations;
  f.scenario = std::move(s);
  return f;
}

}  // namespace trainsim::campaign
