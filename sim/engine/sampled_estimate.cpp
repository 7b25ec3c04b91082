#include "sim/engine/sampled_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "sim/util/error.hpp"

namespace trainsim {

namespace {

struct ReplayedEpoch {
  long long first = 0;  // global index of its first iteration
  std::vector<const IterationRow*> rows;
  const EpochRow* row = nullptr;
  std::vector<const IterationRow*> steady;
  long long missing = 0;  // iterations of the real epoch that were not replayed
  double extra_weight = 0;  // per steady row: missing / |steady|
  Seconds time = 0;       // estimated length of the real epoch
  Seconds ci = 0;         // half-width for an epoch of this shape that is cut or stood in for
  Seconds length_ci = 0;  // missing * half-width of the steady iterations' mean length
  Seconds length_mean = 0;  // short epochs: the mean length of its iterations
};

struct Weighted {
  Seconds length;
  double weight;
};

// Nearest-rank percentile of a weighted sample: the smallest value whose cumulative weight
// reaches q of the total (with unit weights, results.cpp's percentile).
Seconds weighted_percentile(std::vector<Weighted> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end(), [](const Weighted& a, const Weighted& b) { return a.length < b.length; });
  double total = 0;
  for (const auto& w : v) total += w.weight;
  const double target = std::ceil(q * total - 1e-9);
  double cum = 0;
  for (const auto& w : v) {
    cum += w.weight;
    if (cum >= target) return w.length;
  }
  return v.back().length;
}

}  // namespace

void extrapolate_sampled(RunResult& r, const std::vector<PlannedEpoch>& epochs, const SamplingRule& rule) {
  RunSummary& s = r.summary;
  std::map<int, ReplayedEpoch> replayed;
  for (const auto& p : epochs) {
    if (p.replayed) replayed[p.epoch];
  }
  for (const auto& it : r.iterations) replayed[it.epoch].rows.push_back(&it);
  for (const auto& e : r.epochs) replayed[e.epoch].row = &e;
  double replayed_compute = 0;
  for (const auto& it : r.iterations) replayed_compute += it.compute;

  for (auto& [e, x] : replayed) {
    const PlannedEpoch& p = epochs.at(static_cast<std::size_t>(e));
    if (x.rows.empty() || x.row == nullptr) {
      throw RuntimeError("sampled replay: epoch " + std::to_string(e) + " was to be replayed but has no rows");
    }
    x.first = p.first;
    const long long warmup = std::max(1, rule.warmup);
    // The epoch advances by end(k) - end(k-1) per iteration (iterations overlap a little: a rank
    // starts the next one while the slowest finishes); iteration statistics use end - start.
    std::vector<double> advance, lengths;
    for (std::size_t i = 1; i < x.rows.size(); ++i) {
      const IterationRow* it = x.rows[i];
      if (it->iteration >= p.first + warmup) {
        x.steady.push_back(it);
        advance.push_back(it->end - x.rows[i - 1]->end);
        lengths.push_back(it->end - it->start);
      }
    }
    x.missing = p.iterations - static_cast<long long>(x.rows.size());
    x.time = x.row->end - x.row->start;
    if (x.missing > 0 && x.steady.empty()) {
      throw RuntimeError("sampled replay: epoch " + std::to_string(e) + " was cut before its sample");
    }
    if (p.iterations < sample_from(rule)) {
      x.length_mean = 0;
      for (const IterationRow* it : x.rows) x.length_mean += (it->end - it->start) / static_cast<double>(x.rows.size());
      continue;  // a short epoch is one observation of its shape (below)
    }
    const MeanEstimate a = batch_means(advance, rule.batches);
    x.time += static_cast<double>(x.missing) * a.mean;
    // As an estimate of an epoch of this shape, all N - warmup steady iterations come from the
    // sample: the replayed ones are one draw too, standing for every epoch of the shape.
    const double steady_iterations = static_cast<double>(p.iterations - warmup);
    x.ci = steady_iterations * a.half_width;
    x.length_ci = steady_iterations * batch_means(lengths, rule.batches).half_width;
    if (x.missing > 0) x.extra_weight = static_cast<double>(x.missing) / static_cast<double>(x.steady.size());
  }

  // Short epochs: the replayed epochs of a shape are independent draws of its epoch (they start
  // from the same state and replay the same graph), so a stand-in carries the half-width of their
  // mean: t_0.975(k-1) s / sqrt(k) over the k epoch times (and the mean iteration lengths).
  using ShapeKey = std::tuple<long long, bool, bool, bool>;
  std::map<ShapeKey, std::vector<ReplayedEpoch*>> short_shapes;
  for (auto& [e, x] : replayed) {
    const PlannedEpoch& p = epochs.at(static_cast<std::size_t>(e));
    if (p.iterations < sample_from(rule)) {
      short_shapes[ShapeKey{p.iterations, p.validate, p.checkpoint, p.after_checkpoint}].push_back(&x);
    }
  }
  for (auto& entry : short_shapes) {
    const ShapeKey& shape = entry.first;
    std::vector<ReplayedEpoch*>& xs = entry.second;  // a plain reference: lambdas below capture it
    if (xs.size() < 2) continue;  // replayed alone: it stands for nobody
    const auto half_width = [&](auto value) {
      double mean = 0, var = 0;
      for (const ReplayedEpoch* x : xs) mean += value(*x) / static_cast<double>(xs.size());
      for (const ReplayedEpoch* x : xs) var += (value(*x) - mean) * (value(*x) - mean) / static_cast<double>(xs.size() - 1);
      const int dof = static_cast<int>(xs.size()) - 1;
      return student_t_975(dof) * std::sqrt(var / static_cast<double>(xs.size()));
    };
    const Seconds epoch_hw = half_width([](const ReplayedEpoch& x) { return x.time; });
    const Seconds length_hw = half_width([](const ReplayedEpoch& x) { return x.length_mean; });
    for (ReplayedEpoch* x : xs) {
      x->ci = epoch_hw;
      x->length_ci = static_cast<double>(std::get<0>(shape)) * length_hw;
    }
  }

  // Every epoch of the run, as its representative's estimate.
  std::vector<EpochRow> estimated;
  Seconds t = 0, run_ci = 0, full_sum = 0, full_ci = 0;
  int full = 0;
  std::vector<Weighted> sample;
  double weight = 0, sum = 0, compute = 0, comm = 0, stall = 0, mean_ci = 0, steady_stall = 0, steady_weight = 0;
  for (const auto& p : epochs) {
    const ReplayedEpoch& x = replayed.at(p.representative);
    EpochRow row;
    row.epoch = p.epoch;
    row.start = t;
    row.end = t + x.time;
    row.iterations = p.iterations;
    row.validation_s = x.row->validation_s;
    row.checkpoint_s = x.row->checkpoint_s;
    estimated.push_back(row);
    t = row.end;
    // An epoch replayed whole is exact; one cut short, or stood in for, carries the sample's error.
    const bool exact = p.replayed && x.missing == 0;
    const Seconds ci = exact ? 0.0 : x.ci;
    run_ci += ci;
    if (p.iterations == s.iterations_per_epoch) {
      full_sum += x.time;
      full_ci += ci;
      ++full;
    }
    mean_ci += exact ? 0.0 : x.length_ci;
    for (const IterationRow* it : x.rows) {
      if (p.epoch == 0 && it->iteration == 0) continue;  // the run's first iteration, as in summarise()
      const bool steady = it->iteration >= x.first + std::max(1, rule.warmup);
      const double w = 1 + (steady ? x.extra_weight : 0);
      sample.push_back({it->end - it->start, w});
      weight += w;
      sum += w * (it->end - it->start);
      compute += w * it->compute;
      comm += w * it->exposed_comm;
      stall += w * it->data_stall;
      if (it->iteration % s.iterations_per_epoch != 0) {
        steady_stall += w * it->data_stall;
        steady_weight += w;
      }
    }
  }
  r.epochs = std::move(estimated);
  s.evaluation_s = 0;
  for (const auto& e : r.epochs) s.evaluation_s += e.validation_s;
  s.data_stall_steady = steady_weight > 0 ? steady_stall / steady_weight : 0;

  long long total = 0;
  for (const auto& p : epochs) total += p.iterations;
  s.replay = "sampled";
  s.iterations_replayed = static_cast<long long>(r.iterations.size());
  s.iterations = total;
  s.epochs = static_cast<int>(epochs.size());
  s.run_s = t;
  s.run_ci = run_ci;
  s.epoch_s = full > 0 ? full_sum / full : 0;
  s.epoch_ci = full > 0 ? full_ci / full : 0;
  if (weight > 0) {
    s.iteration_mean = sum / weight;
    s.iteration_mean_ci = mean_ci / weight;
    s.compute = compute / weight;
    s.exposed_comm = comm / weight;
    s.data_stall = stall / weight;
    s.iteration_p50 = weighted_percentile(sample, 0.50);
    s.iteration_p99 = weighted_percentile(sample, 0.99);
    s.images_per_s = s.iteration_mean > 0 ? s.batch_per_gpu * s.gpus / s.iteration_mean : 0;
  }
  // Kernel time per rank: what was replayed, scaled as the run's iteration compute to the replayed.
  double run_compute = compute;
  if (!r.iterations.empty() && r.iterations.front().iteration == 0) run_compute += r.iterations.front().compute;
  if (replayed_compute > 0) {
    for (Seconds& b : s.gpu_busy_s) b *= run_compute / replayed_compute;
  }
}

}  // namespace trainsim
