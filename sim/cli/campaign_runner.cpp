#include "sim/cli/campaign_runner.hpp"
#include "sim/cli/child_run.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>

#include "sim/input/scenario_io.hpp"
#include "sim/report/run_report.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

ChildOutcome run_one(const ChildJob& job) {
  std::vector<std::string> extra;
  if (!job.part.empty()) extra = {"-o", job.part, "--trace", io::to_string(job.level)};
  return run_scenario_child(*job.scenario, std::nullopt, extra);
}

}  // namespace

std::vector<ChildOutcome> run_children(const std::vector<ChildJob>& jobs, int parallel,
                                       const std::function<void(std::size_t, std::size_t)>& done) {
  // Longest first, each worker taking the next job when it is free: a short job never holds up
  // the end while a long one waits.
  std::vector<std::size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return jobs[a].weight > jobs[b].weight; });
  std::vector<ChildOutcome> out(jobs.size());
  std::atomic<std::size_t> next{0};
  std::mutex report;
  std::size_t finished = 0;
  const int workers = std::max(1, std::min<int>(parallel, static_cast<int>(jobs.size())));
  // Each worker mostly waits on its child: allow more of them than cores when asked (-j).
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(workers));
  tbb::task_arena arena(workers);
  arena.execute([&] {
    tbb::parallel_for(0, workers, [&](int) {
      for (std::size_t k = next++; k < order.size(); k = next++) {
        out[order[k]] = run_one(jobs[order[k]]);
        const std::lock_guard lock(report);
        if (done) done(++finished, jobs.size());
      }
    });
  });
  return out;
}

}  // namespace trainsim::cli
