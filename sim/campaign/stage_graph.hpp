// The stages of a campaign as a DAG (Boost.Graph): an edge a -> b when stage b lists a in `after`.
// Built once and checked: duplicate names, unknown names, a stage after itself and cycles are
// InputErrors at the `after:` entry (file:line:column) that makes them.
#pragma once

#include <vector>

#include "sim/campaign/stage.hpp"
#include "sim/hw/units.hpp"

namespace trainsim::campaign {

class StageGraph {
 public:
  explicit StageGraph(const std::vector<StageSpec>& stages);

  [[nodiscard]] int size() const { return static_cast<int>(predecessors_.size()); }
  [[nodiscard]] const std::vector<int>& predecessors(int stage) const { return predecessors_.at(static_cast<std::size_t>(stage)); }
  // Every stage after all of its predecessors; among stages free to go, file order.
  [[nodiscard]] const std::vector<int>& order() const { return order_; }

 private:
  std::vector<std::vector<int>> predecessors_;
  std::vector<int> order_;
};

// The longest path through the graph when each stage weighs weight[s]: its stages, first to last,
// and its length. With weights that no schedule can beat (a stage's shortest possible span), it is
// a lower bound of any schedule's makespan.
struct CriticalPath {
  std::vector<int> stages;
  Seconds length = 0;
};

[[nodiscard]] CriticalPath longest_path(const StageGraph& g, const std::vector<Seconds>& weight);

}  // namespace trainsim::campaign
