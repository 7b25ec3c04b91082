#include "sim/cli/synthetic_run.hpp"

#include <algorithm>
#include <vector>

#include "sim/model/jitter.hpp"

namespace trainsim::cli {

namespace {

// Figures of a mid-size detection model at batch 8 on an RTX 3090-class GPU (speed 1).
constexpr Flops kForwardFlops = 8 * 140e9;
constexpr double kPeakFlopsPerS = 35e12 * 0.45;
constexpr Bytes kBatchBytes = 8 * 3 * 640 * 640;
constexpr BytesPerSecond kPcieBytesPerS = 12e9;
constexpr Bytes kGradientBytes = 67e6 * 4;
constexpr BytesPerSecond kLinkBytesPerS = 10e9;
constexpr Seconds kLinkLatency = 8e-6;
constexpr Seconds kLoadMean = 0.09;   // one batch of one loader worker
constexpr Seconds kOptimizer = 4e-3;

class Generator {
 public:
  Generator(const SyntheticSpec& spec, Recorder& rec) : s_(spec), rec_(rec), ready_(static_cast<std::size_t>(spec.ranks), 0.0) {}

  RunResult run() {
    RunResult r;
    RunSummary& sum = r.summary;
    sum.model = "synthetic";
    sum.gpu = s_.gpu;
    sum.node = s_.node;
    sum.gpus = s_.ranks;
    sum.batch_per_gpu = 8;
    sum.precision = "fp16";
    sum.algorithm = "ring";
    sum.buckets = s_.buckets;
    r.summary.iterations_per_epoch = s_.iterations_per_epoch;
    r.summary.overlap_slowdown = 0.05;
    busy_.assign(static_cast<std::size_t>(s_.ranks), 0.0);
    for (long long i = 0; !done(i); ++i) {
      const int epoch = static_cast<int>(i / s_.iterations_per_epoch);
      if (i % s_.iterations_per_epoch == 0) {
        r.epochs.emplace_back();
        r.epochs.back().epoch = epoch;
        r.epochs.back().start = now();
      }
      r.iterations.push_back(iteration(epoch, i));
      r.epochs.back().iterations += 1;
      r.epochs.back().end = r.iterations.back().end;
      if ((i + 1) % s_.iterations_per_epoch == 0) epoch_end(r.epochs.back());
    }
    r.summary.gpu_busy_s = busy_;
    r.summary.activities = recorded_;
    r.summary.run_s = now();
    summarise(r);
    return r;
  }

 private:
  bool done(long long i) const { return s_.max_events > 0 ? recorded_ >= s_.max_events : i >= s_.iterations; }
  double now() const { return *std::max_element(ready_.begin(), ready_.end()); }
  double jitter(int rank, double cv) { return lognormal_factor(cv, s_.seed, JitterStream::other, static_cast<std::uint64_t>(rank + 1), draw_++); }

  void add(EventKind kind, int rank, int epoch, long long it, double start, double end, double bytes = 0,
           double flops = 0, int bucket = -1, int link = -1) {
    pending_.push_back({kind, static_cast<std::int16_t>(rank), epoch, it, bucket, link, start, end, bytes, flops});
  }

  // Flushes the pending events in end-time order, as an engine reports finished activities.
  void emit() {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Event& a, const Event& b) { return a.end < b.end; });
    for (const auto& e : pending_) {
      if (s_.max_events > 0 && recorded_ >= s_.max_events) break;
      rec_.record(e);
      ++recorded_;
    }
    pending_.clear();
  }

  IterationRow iteration(int epoch, long long it) {
    const auto n = static_cast<std::size_t>(s_.ranks);
    std::vector<double> t0 = ready_, bwd_end(n * static_cast<std::size_t>(s_.buckets)), compute(n), stall(n);
    for (std::size_t r = 0; r < n; ++r) {
      const int rank = static_cast<int>(r);
      // The loader finished this batch at some point around the rank's start; later means a stall.
      const double load_end = t0[r] + kLoadMean * (jitter(rank, 0.6) - 0.9);
      add(EventKind::load, rank, epoch, it, load_end - kLoadMean * jitter(rank, 0.2), load_end, kBatchBytes);
      double t = t0[r];
      if (load_end > t) {
        add(EventKind::stall, rank, epoch, it, t, load_end);
        t = load_end;
      }
      const double h2d = kBatchBytes / (kPcieBytesPerS * s_.speed) * jitter(rank, 0.05);
      add(EventKind::h2d, rank, epoch, it, t, t + h2d, kBatchBytes, 0, -1, rank);
      stall[r] = t + h2d - t0[r];
      t += h2d;
      const double fwd = kForwardFlops / (kPeakFlopsPerS * s_.speed) * jitter(rank, 0.03);
      add(EventKind::forward, rank, epoch, it, t, t + fwd, 0, kForwardFlops);
      t += fwd;
      compute[r] = fwd;
      for (int b = 0; b < s_.buckets; ++b) {
        const double flops = 2 * kForwardFlops / s_.buckets;
        const double d = flops / (kPeakFlopsPerS * s_.speed) * jitter(rank, 0.03);
        add(EventKind::backward, rank, epoch, it, t, t + d, 0, flops, b);
        t += d;
        compute[r] += d;
        bwd_end[r * static_cast<std::size_t>(s_.buckets) + static_cast<std::size_t>(b)] = t;
      }
      busy_[r] += compute[r];
    }
    // Ring all-reduce per bucket, one bucket after the other, once every rank has its gradients.
    double comm = 0;
    const int steps = s_.ranks > 1 ? 2 * (s_.ranks - 1) : 0;
    for (int b = 0; b < s_.buckets; ++b) {
      double start = comm;
      for (std::size_t r = 0; r < n; ++r) start = std::max(start, bwd_end[r * static_cast<std::size_t>(s_.buckets) + static_cast<std::size_t>(b)]);
      const double chunk = kGradientBytes / s_.buckets / s_.ranks;
      for (int k = 0; k < steps; ++k) {
        double step_end = start;
        for (int rank = 0; rank < s_.ranks; ++rank) {
          const double d = kLinkLatency + chunk / (kLinkBytesPerS * s_.link_speed) * jitter(rank, 0.1);
          add(EventKind::allreduce, rank, epoch, it, start, start + d, chunk, 0, b, rank);
          step_end = std::max(step_end, start + d);
        }
        start = step_end;
      }
      comm = start;
    }
    IterationRow row;
    row.epoch = epoch;
    row.iteration = it;
    row.start = *std::min_element(t0.begin(), t0.end());
    for (std::size_t r = 0; r < n; ++r) {
      const int rank = static_cast<int>(r);
      const double opt_start = std::max(comm, bwd_end[(r + 1) * static_cast<std::size_t>(s_.buckets) - 1]);
      const double opt = kOptimizer / s_.speed * jitter(rank, 0.02);
      add(EventKind::optimizer, rank, epoch, it, opt_start, opt_start + opt);
      ready_[r] = opt_start + opt;
      row.end = std::max(row.end, ready_[r]);
      row.compute += (compute[r] + opt) / static_cast<double>(n);
      row.exposed_comm += (opt_start - bwd_end[(r + 1) * static_cast<std::size_t>(s_.buckets) - 1]) / static_cast<double>(n);
      row.data_stall += stall[r] / static_cast<double>(n);
      busy_[r] += opt;
    }
    emit();
    return row;
  }

  void epoch_end(EpochRow& e) {
    const double start = now();
    double end = start;
    for (int rank = 0; rank < s_.ranks; ++rank) {
      const double d = 2.0 / s_.speed * jitter(rank, 0.05);
      add(EventKind::validation, rank, e.epoch, -1, start, start + d, 0, kForwardFlops * 40);
      end = std::max(end, start + d);
    }
    const double ckpt = kGradientBytes * 3 / 1.5e9;  // weights and optimizer state to local NVMe
    add(EventKind::checkpoint, -1, e.epoch, -1, end, end + ckpt, kGradientBytes * 3);
    emit();
    e.validation_s = end - start;
    e.checkpoint_s = ckpt;
    e.end = end + ckpt;
    std::fill(ready_.begin(), ready_.end(), e.end);
  }

  const SyntheticSpec& s_;
  Recorder& rec_;
  std::vector<double> ready_;  // per rank: when it may start its next iteration
  std::vector<double> busy_;
  std::vector<Event> pending_;
  std::uint64_t draw_ = 0;
  long long recorded_ = 0;
};

}  // namespace

RunResult synthetic_run(const SyntheticSpec& spec, Recorder& recorder) { return Generator(spec, recorder).run(); }

}  // namespace trainsim::cli
