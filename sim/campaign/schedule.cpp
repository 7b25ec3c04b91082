#include "sim/campaign/schedule.hpp"

#include <algorithm>
#include <limits>

namespace trainsim::campaign {

std::vector<Seconds> stage_lower_bounds(int stages, const std::vector<RunJob>& jobs, int pool_gpus) {
  std::vector<Seconds> longest(static_cast<std::size_t>(stages), 0), gpu_s(static_cast<std::size_t>(stages), 0);
  for (const auto& j : jobs) {
    const auto s = static_cast<std::size_t>(j.stage);
    longest[s] = std::max(longest[s], j.duration);
    gpu_s[s] += j.gpus * j.duration;
  }
  for (std::size_t s = 0; s < longest.size(); ++s) longest[s] = std::max(longest[s], gpu_s[s] / pool_gpus);
  return longest;
}

Schedule list_schedule(const StageGraph& graph, const std::vector<RunJob>& jobs, int pool_gpus) {
  const auto n_stages = static_cast<std::size_t>(graph.size());
  for (const auto& j : jobs) {
    if (j.gpus < 1 || j.gpus > pool_gpus) {
      throw InputError({}, "run gpus", std::to_string(j.gpus), "1 to the node's " + std::to_string(pool_gpus) + " GPUs");
    }
  }
  // Priority: the longest path from a stage to the end of the campaign, itself included.
  const std::vector<Seconds> weight = stage_lower_bounds(graph.size(), jobs, pool_gpus);
  std::vector<Seconds> tail(n_stages, 0);
  const auto& order = graph.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) tail[static_cast<std::size_t>(*it)] += weight[static_cast<std::size_t>(*it)];
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    for (int p : graph.predecessors(*it)) {
      auto& t = tail[static_cast<std::size_t>(p)];
      t = std::max(t, weight[static_cast<std::size_t>(p)] + tail[static_cast<std::size_t>(*it)]);
    }
  }
  std::vector<std::size_t> by_priority(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) by_priority[i] = i;
  std::stable_sort(by_priority.begin(), by_priority.end(), [&](std::size_t a, std::size_t b) {
    const auto sa = static_cast<std::size_t>(jobs[a].stage), sb = static_cast<std::size_t>(jobs[b].stage);
    if (tail[sa] != tail[sb]) return tail[sa] > tail[sb];
    if (sa != sb) return sa < sb;
    return jobs[a].index < jobs[b].index;
  });

  std::vector<int> runs_left(n_stages, 0);
  for (const auto& j : jobs) ++runs_left[static_cast<std::size_t>(j.stage)];
  std::vector<bool> started(jobs.size(), false), ended(jobs.size(), false);
  std::vector<bool> free_gpu(static_cast<std::size_t>(pool_gpus), true);
  Schedule out;
  out.runs.resize(jobs.size());
  Seconds now = 0;
  std::size_t done = 0;
  const auto stage_ready = [&](int s) {
    for (int p : graph.predecessors(s)) {
      if (runs_left[static_cast<std::size_t>(p)] > 0) return false;
    }
    return true;
  };
  while (done < jobs.size()) {
    int n_free = static_cast<int>(std::count(free_gpu.begin(), free_gpu.end(), true));
    for (std::size_t i : by_priority) {
      if (started[i] || jobs[i].gpus > n_free || !stage_ready(jobs[i].stage)) continue;
      started[i] = true;
      PlacedRun& r = out.runs[i];
      r.start = now;
      r.end = now + jobs[i].duration;
      for (int g = 0; g < pool_gpus && static_cast<int>(r.gpu_ids.size()) < jobs[i].gpus; ++g) {
        if (free_gpu[static_cast<std::size_t>(g)]) {
          free_gpu[static_cast<std::size_t>(g)] = false;
          r.gpu_ids.push_back(g);
        }
      }
      n_free -= jobs[i].gpus;
    }
    // Advance to the next end; every run ending then frees its GPUs (and maybe its stage).
    Seconds next = std::numeric_limits<Seconds>::infinity();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (started[i] && !ended[i]) next = std::min(next, out.runs[i].end);
    }
    if (next == std::numeric_limits<Seconds>::infinity()) throw std::logic_error("list_schedule: nothing can run");
    now = next;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (started[i] && !ended[i] && out.runs[i].end <= now) {
        ended[i] = true;
        ++done;
        --runs_left[static_cast<std::size_t>(jobs[i].stage)];
        for (int g : out.runs[i].gpu_ids) free_gpu[static_cast<std::size_t>(g)] = true;
      }
    }
    out.makespan = std::max(out.makespan, now);
  }
  return out;
}

}  // namespace trainsim::campaign
