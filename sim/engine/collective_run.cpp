#include "sim/engine/collective_run.hpp"

#include "sim/engine/collective.hpp"
#include "sim/topo/platform.hpp"

namespace trainsim {

namespace {

// Builds size i, and size i+1 from the completion of size i's last rank.
class SweepDriver {
 public:
  SweepDriver(engine::Simulation& sim, const CollectivePlanner& planner, const CollectiveSweep& sweep,
              const std::function<void(const CollectiveRow&)>& on_row)
      : sim_(sim), planner_(planner), sweep_(sweep), on_row_(on_row) {}

  void build(std::size_t i) {
    index_ = i;
    engine::CollectiveSpec spec;
    spec.op = sweep_.op;
    spec.algorithm = sweep_.algorithm;
    spec.bytes = sweep_.sizes[i];
    spec.ranks = sweep_.ranks;
    spec.root = sweep_.root;
    spec.channels = sweep_.channels;
    started_ = engine::Simulation::now();
    remaining_ = static_cast<int>(spec.ranks.size());
    last_done_ = started_;
    Event tag;
    tag.bucket = static_cast<std::int32_t>(i);
    const engine::CollectiveNodes nodes = engine::build_collective(sim_, planner_, spec, {}, tag, [this](int) { rank_done(); });
    row_ = CollectiveRow{};
    row_.bytes = spec.bytes;
    row_.algorithm = nodes.algorithm;
    row_.transfers = nodes.transfers;
    row_.predicted = planner_.predict_time(spec.op, nodes.algorithm, spec.bytes, spec.ranks, spec.root);
  }

  [[nodiscard]] std::vector<CollectiveRow>& rows() { return rows_; }

 private:
  void rank_done() {
    last_done_ = engine::Simulation::now();
    if (--remaining_ > 0) return;
    row_.time = last_done_ - started_;
    rows_.push_back(row_);
    if (on_row_) on_row_(row_);
    if (index_ + 1 < sweep_.sizes.size()) build(index_ + 1);
  }

  engine::Simulation& sim_;
  const CollectivePlanner& planner_;
  const CollectiveSweep& sweep_;
  const std::function<void(const CollectiveRow&)>& on_row_;
  std::vector<CollectiveRow> rows_;
  CollectiveRow row_;
  std::size_t index_ = 0;
  int remaining_ = 0;
  Seconds started_ = 0;
  Seconds last_done_ = 0;
};

}  // namespace

std::vector<CollectiveRow> run_collective_sweep(const Topology& topo, const CollectiveSweep& sweep,
                                                const std::function<void(const CollectiveRow&)>& on_row) {
  CollectiveSweep s = sweep;
  if (s.ranks.empty()) s.ranks = all_gpus(topo);
  if (s.sizes.empty()) return {};
  const CollectivePlanner planner(topo);
  // Check the algorithm before the simulation exists, so that a bad choice is one clear error.
  std::string why;
  if (!planner.available(s.op, s.algorithm, s.ranks, &why)) {
    throw InputError({}, "algorithm", std::string(to_string(s.algorithm)), why);
  }
  engine::Simulation sim(describe_platform(topo));
  SweepDriver driver(sim, planner, s, on_row);
  driver.build(0);
  sim.run();
  return std::move(driver.rows());
}

}  // namespace trainsim
