#include "sim/campaign/stage_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <map>
#include <queue>

#include "sim/util/strings.hpp"

namespace trainsim::campaign {

namespace {

struct EdgeInfo {
  int after_index = 0;  // which entry of the later stage's `after` list made this edge
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, EdgeInfo>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

std::string key_of(int stage, int after_index) {
  return "stages[" + std::to_string(stage) + "].after[" + std::to_string(after_index) + "]";
}

// Throws at the first back edge the depth-first search meets: that `after` entry closes a cycle.
struct CycleFinder : boost::default_dfs_visitor {
  const std::vector<StageSpec>* stages;
  std::vector<Vertex>* parent;

  void tree_edge(Edge e, const Graph& g) const { (*parent)[boost::target(e, g)] = boost::source(e, g); }

  void back_edge(Edge e, const Graph& g) const {
    const Vertex from = boost::source(e, g);  // a stage that the later one waits for...
    const Vertex to = boost::target(e, g);    // ...which is already an ancestor of it
    std::vector<std::string> cycle{(*stages)[to].name};
    std::vector<std::string> back;
    for (Vertex v = from; v != to; v = (*parent)[v]) back.push_back((*stages)[v].name);
    cycle.insert(cycle.end(), back.rbegin(), back.rend());
    cycle.push_back((*stages)[to].name);
    const int idx = g[e].after_index;
    const StageRef& ref = (*stages)[to].after[static_cast<std::size_t>(idx)];
    throw InputError(ref.where, key_of(static_cast<int>(to), idx), ref.name,
                     "stages without a cycle (" + join(cycle, " -> ") + ")");
  }
};

}  // namespace

StageGraph::StageGraph(const std::vector<StageSpec>& stages) {
  std::map<std::string, int> index;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (!index.emplace(stages[i].name, static_cast<int>(i)).second) {
      throw InputError(stages[i].where, "stages[" + std::to_string(i) + "].name", stages[i].name,
                       "a name no other stage has");
    }
    names.push_back(stages[i].name);
  }
  Graph g(stages.size());
  predecessors_.assign(stages.size(), {});
  for (std::size_t b = 0; b < stages.size(); ++b) {
    for (std::size_t k = 0; k < stages[b].after.size(); ++k) {
      const StageRef& ref = stages[b].after[k];
      const auto it = index.find(ref.name);
      const std::string key = key_of(static_cast<int>(b), static_cast<int>(k));
      if (it == index.end()) throw InputError(ref.where, key, ref.name, "a stage of this campaign, " + one_of(ref.name, names));
      if (it->second == static_cast<int>(b)) throw InputError(ref.where, key, ref.name, "another stage (a stage cannot wait for itself)");
      auto& preds = predecessors_[b];
      if (std::find(preds.begin(), preds.end(), it->second) != preds.end()) {
        throw InputError(ref.where, key, ref.name, "each stage once in `after`");
      }
      preds.push_back(it->second);
      boost::add_edge(static_cast<Vertex>(it->second), static_cast<Vertex>(b), EdgeInfo{static_cast<int>(k)}, g);
    }
  }
  // Searched from the stages in file order, so that the same file always names the same entry.
  std::vector<Vertex> parent(stages.size());
  std::vector<boost::default_color_type> colors(stages.size());
  CycleFinder finder;
  finder.stages = &stages;
  finder.parent = &parent;
  boost::depth_first_search(g, finder, boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g)));

  // Kahn's algorithm with the lowest file index first: a stable, readable order.
  std::vector<int> waiting(stages.size());
  std::vector<std::vector<int>> successors(stages.size());
  for (std::size_t b = 0; b < stages.size(); ++b) {
    waiting[b] = static_cast<int>(predecessors_[b].size());
    for (int a : predecessors_[b]) successors[static_cast<std::size_t>(a)].push_back(static_cast<int>(b));
  }
  std::priority_queue<int, std::vector<int>, std::greater<>> free;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (waiting[i] == 0) free.push(static_cast<int>(i));
  }
  while (!free.empty()) {
    const int s = free.top();
    free.pop();
    order_.push_back(s);
    for (int n : successors[static_cast<std::size_t>(s)]) {
      if (--waiting[static_cast<std::size_t>(n)] == 0) free.push(n);
    }
  }
}

CriticalPath longest_path(const StageGraph& g, const std::vector<Seconds>& weight) {
  const auto n = static_cast<std::size_t>(g.size());
  if (weight.size() != n) throw std::logic_error("longest_path: one weight per stage");
  std::vector<Seconds> finish(n, 0);
  std::vector<int> via(n, -1);
  for (int s : g.order()) {
    Seconds start = 0;
    for (int p : g.predecessors(s)) {
      if (finish[static_cast<std::size_t>(p)] > start) {
        start = finish[static_cast<std::size_t>(p)];
        via[static_cast<std::size_t>(s)] = p;
      }
    }
    finish[static_cast<std::size_t>(s)] = start + weight[static_cast<std::size_t>(s)];
  }
  CriticalPath cp;
  if (n == 0) return cp;
  int last = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (finish[s] > finish[static_cast<std::size_t>(last)]) last = static_cast<int>(s);
  }
  cp.length = finish[static_cast<std::size_t>(last)];
  for (int s = last; s >= 0; s = via[static_cast<std::size_t>(s)]) cp.stages.push_back(s);
  std::reverse(cp.stages.begin(), cp.stages.end());
  return cp;
}

}  // namespace trainsim::campaign
