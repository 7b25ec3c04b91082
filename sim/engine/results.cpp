#include "sim/engine/results.hpp"

#include "sim/util/stats.hpp"

#include <algorithm>
#include <cmath>

namespace trainsim {

void summarise(RunResult& r) {
  RunSummary& s = r.summary;
  std::vector<Seconds> lengths;
  double compute = 0, comm = 0, stall = 0, steady_stall = 0, steady = 0;
  // The first iteration waits for the loaders to start: leave it out of the steady state.
  const std::size_t first = r.iterations.size() > 1 ? 1 : 0;
  for (std::size_t i = first; i < r.iterations.size(); ++i) {
    const auto& it = r.iterations[i];
    lengths.push_back(it.end - it.start);
    compute += it.compute;
    comm += it.exposed_comm;
    stall += it.data_stall;
    if (s.iterations_per_epoch > 0 && it.iteration % s.iterations_per_epoch != 0) {
      steady_stall += it.data_stall;
      ++steady;
    }
  }
  s.data_stall_steady = steady > 0 ? steady_stall / steady : 0;
  const double n = static_cast<double>(lengths.size());
  if (n > 0) {
    double sum = 0;
    for (Seconds l : lengths) sum += l;
    s.iteration_mean = sum / n;
    s.iteration_p50 = percentile(lengths, 0.50);
    s.iteration_p99 = percentile(lengths, 0.99);
    s.compute = compute / n;
    s.exposed_comm = comm / n;
    s.data_stall = stall / n;
    s.images_per_s = s.iteration_mean > 0 ? s.batch_per_gpu * s.gpus / s.iteration_mean : 0;
  }
  double epoch_sum = 0;
  int full = 0;
  for (const auto& e : r.epochs) {
    if (e.iterations == s.iterations_per_epoch) {
      epoch_sum += e.end - e.start;
      ++full;
    }
  }
  s.epoch_s = full > 0 ? epoch_sum / full : 0;
  s.evaluation_s = 0;
  for (const auto& e : r.epochs) s.evaluation_s += e.validation_s;
  s.iterations = static_cast<long long>(r.iterations.size());
  s.iterations_replayed = s.iterations;
  s.epochs = static_cast<int>(r.epochs.size());
}

}  // namespace trainsim
