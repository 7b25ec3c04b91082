#include "sim/engine/collective.hpp"

#include <algorithm>
#include <set>

#include "sim/engine/coll_lanes.hpp"
#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace {

// An empty plan: one rank, or nothing to move.
class NoTransfers final : public LanePlan {
 public:
  Bytes bytes(int, int) const override { return 0.0; }
  void after(int, int, std::vector<LaneRef>& out) const override { out.clear(); }
};

void check(const Topology& topo, const CollectiveSpec& spec, const std::vector<Node>& ready) {
  if (spec.ranks.empty()) throw InputError({}, "ranks", "[]", "at least one GPU");
  std::set<int> seen;
  for (const int g : spec.ranks) {
    if (g < 0 || g >= topo.gpu_count() || !seen.insert(g).second) {
      throw InputError({}, "ranks", std::to_string(g),
                       "distinct GPU indices from 0 to " + std::to_string(topo.gpu_count() - 1));
    }
  }
  if (!ready.empty() && ready.size() != spec.ranks.size()) {
    throw InputError({}, "ready", std::to_string(ready.size()) + " nodes",
                     "none, or one per rank (" + std::to_string(spec.ranks.size()) + ")");
  }
  if (spec.root < 0 || spec.root >= static_cast<int>(spec.ranks.size())) {
    throw InputError({}, "root", std::to_string(spec.root), "a position in ranks");
  }
  if (spec.channels < 0 || spec.channels > 64) {
    throw InputError({}, "channels", std::to_string(spec.channels), "0 (from the topology) to 64");
  }
  if (!(spec.bytes >= 0)) throw InputError({}, "bytes", std::to_string(spec.bytes), "a size >= 0");
}

}  // namespace

CollectiveNodes build_collective(Simulation& sim, const CollectivePlanner& planner, const CollectiveSpec& spec,
                                 const std::vector<Node>& ready, const Event& tag, std::function<void(int)> on_rank_done) {
  const Topology& topo = planner.topology();
  check(topo, spec, ready);
  CollectiveSpec s = spec;
  if (s.algorithm == Algorithm::auto_) s.algorithm = planner.choose(s.op, s.bytes, s.ranks);
  std::string why;
  if (!planner.available(s.op, s.algorithm, s.ranks, &why)) {
    throw InputError({}, "algorithm", std::string(to_string(s.algorithm)), why);
  }
  const int n = static_cast<int>(s.ranks.size());
  std::vector<int> gpus = s.ranks;
  std::vector<std::size_t> hosts;
  for (const int g : s.ranks) hosts.push_back(sim.platform().gpu_hosts.at(static_cast<std::size_t>(g)));

  PlanContext ctx{planner, sim.platform(), s, {}};
  for (const int g : planner.ring(s.ranks).order) {
    ctx.order.push_back(static_cast<int>(std::find(s.ranks.begin(), s.ranks.end(), g) - s.ranks.begin()));
  }
  std::unique_ptr<LanePlan> plan;
  if (n < 2 || s.bytes <= 0) {
    plan = std::make_unique<NoTransfers>();
  } else if (s.op == CollOp::broadcast) {
    plan = broadcast_plan(ctx);
  } else {
    switch (s.algorithm) {
      case Algorithm::tree:
        plan = planner.cluster_tree(s.ranks) && !s.single_tree ? cluster_tree_plan(ctx) : tree_plan(ctx);
        break;
      case Algorithm::direct: plan = direct_plan(ctx); break;
      case Algorithm::nvls: plan = nvls_plan(ctx); break;
      case Algorithm::hierarchical: plan = hierarchical_plan(ctx); break;
      case Algorithm::ring:
      case Algorithm::auto_: plan = ring_plan(ctx); break;
    }
  }
  // The hierarchical plan (and the tree across machines) fuses ring steps, so a transfer no longer waits, step by step, for data
  // that every rank contributed: its first chunks start once every rank has reached the collective
  // (a ring's first steps can run ahead of a late rank only until they need its data; here they
  // wait for it), so that no rank finishes before the last one started.
  std::vector<Node> gate = ready;
  const bool fused = s.algorithm == Algorithm::hierarchical || (s.algorithm == Algorithm::tree && planner.cluster_tree(s.ranks) && !s.single_tree);
  if (fused && !ready.empty() && n > 1 && s.bytes > 0) {
    Node all = sim.marker(hosts.front());
    for (const Node& r : ready) r.then(all);
    sim.start(all);
    gate.assign(ready.size(), all);
  }
  CollectiveNodes out = run_lanes(sim, std::move(plan), gpus, hosts, gate, tag, std::move(on_rank_done));
  out.algorithm = s.algorithm;
  return out;
}

CollectiveNodes build_collective(Simulation& sim, const Topology& topo, const CollectiveSpec& spec,
                                 const std::vector<Node>& ready, const Event& tag, std::function<void(int)> on_rank_done) {
  const CollectivePlanner planner(topo);
  return build_collective(sim, planner, spec, ready, tag, std::move(on_rank_done));
}

}  // namespace trainsim::engine
