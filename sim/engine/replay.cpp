#include "sim/engine/replay.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <map>

#include "sim/engine/collective.hpp"
#include "sim/engine/epoch_plan.hpp"
#include "sim/model/jitter.hpp"
#include "sim/model/sampling.hpp"

namespace trainsim::engine {

namespace {

constexpr double kIdlePriority = 1e-12;  // a companion with nothing in flight takes (almost) nothing
// Channels of the buckets' rings. All channels follow one ring order, so more of them only split
// each hop's flow: the fluid model gives the same times unless other traffic shares the hop, and
// every channel multiplies the transfers. NCCL's own count still sets the SM share (run.cpp). Where
// that is exact (merging_is_exact), the channels are further merged into one flow per hop.
constexpr int kReplayMaxChannels = 2;

struct RankTimes {
  Seconds start = 0;   // previous optimizer end, or epoch start
  Seconds taken = 0;   // the batch is in hand (end of the data stall)
  Seconds h2d_end = -1;
  Seconds backward_end = -1;
  Seconds opt_start = -1;
  Seconds opt_end = -1;
  Seconds compute = 0;
};

struct IterationState {
  std::vector<RankTimes> ranks;
  int done = 0;
};

class Replay {
 public:
  Replay(Simulation& sim, const PreparedRun& run, const RunOptions& options)
      : sim_(sim), topo_(run.topo), planner_(run.topo), plan_(run.plan), options_(options), d_(sim.platform()) {
    n_ = plan_.gpus;
    total_ = options.iterations ? std::min(*options.iterations, plan_.total_iterations) : plan_.total_iterations;
    sampled_ = options.replay == ReplayMode::sampled;
    epochs_ahead_ = plan_epochs(plan_, total_, sampled_, sample_from(options.sampling));
    for (const auto& e : epochs_ahead_) {
      cut_.push_back(e.first + e.iterations - 1);
      if (e.replayed) last_replayed_epoch_ = e.epoch;
    }
    steady_.resize(epochs_ahead_.size());
    inflight_.assign(static_cast<std::size_t>(n_), 0);
    prev_.resize(static_cast<std::size_t>(n_));
    ready_at_.assign(static_cast<std::size_t>(n_), 0.0);
    worker_last_.assign(static_cast<std::size_t>(n_), std::vector<Node>(static_cast<std::size_t>(plan_.workers)));
    busy_.assign(static_cast<std::size_t>(n_), 0.0);
    for (int r = 0; r < n_; ++r) ranks_.push_back(r);
    if (n_ > 1) {
      // Across machines a channel is a rail (its own NIC): capping them would leave rails idle.
      channels_ = topo_.machines() > 1 ? planner_.channels(ranks_) : std::min(kReplayMaxChannels, planner_.channels(ranks_));
      algorithm_ = parse_algorithm(plan_.algorithm).value_or(Algorithm::auto_);
      // The algorithm of the largest bucket names the run; auto picks per bucket size.
      Bytes largest = 0;
      for (const auto& b : plan_.buckets) largest = std::max(largest, b.bytes);
      const Algorithm used = algorithm_ == Algorithm::auto_ ? planner_.choose(CollOp::all_reduce, largest, ranks_) : algorithm_;
      algorithm_name_ = std::string(to_string(used));
      merge_channels_ = channels_ > 1 && merging_is_exact();
      if (plan_.overlap && plan_.overlap_slowdown > 0) {
        for (int r = 0; r < n_; ++r) companions_.push_back(sim_.companion(gpu(r), kIdlePriority));
      }
    } else {
      algorithm_name_ = "none";
    }
  }

  RunResult run() {
    result_.summary.algorithm = algorithm_name_;
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    // Two iterations ahead: each forward end of rank 0 builds the next one (build_iteration).
    build_next();
    build_next();
    sim_.run();
    result_.summary.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result_.summary.cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    result_.summary.activities = sim_.activities_completed();
    result_.summary.run_s = run_end_;
    result_.summary.gpu_busy_s = busy_;
    return std::move(result_);
  }

 private:
  [[nodiscard]] std::size_t gpu(int r) const { return d_.gpu_hosts[static_cast<std::size_t>(r)]; }
  [[nodiscard]] std::size_t cpu(int r) const {
    const std::size_t host_vertex = topo_.host_of(r);
    for (std::size_t k = 0; k < topo_.hosts().size(); ++k) {
      if (topo_.hosts()[k] == host_vertex) return d_.cpu_hosts[k];
    }
    return d_.cpu_hosts.front();
  }
  // One flow per ring hop instead of one per channel (CollectiveSpec::merge_channels) is exact when
  // every bucket runs a ring (whose flows are all replicated per channel) and no other transfer of
  // the replay (loader reads, host-to-device copies, checkpoints) crosses a link of the ring.
  [[nodiscard]] bool merging_is_exact() const {
    for (const auto& b : plan_.buckets) {
      const Algorithm a = algorithm_ == Algorithm::auto_ ? planner_.choose(CollOp::all_reduce, b.bytes, ranks_) : algorithm_;
      if (a != Algorithm::ring) return false;
    }
    std::vector<bool> ring_link(d_.links.size(), false);
    const std::vector<int>& order = planner_.ring(ranks_).order;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const PlatformRoute* route = d_.route(gpu(order[i]), gpu(order[(i + 1) % order.size()]));
      if (route == nullptr) return false;
      for (const auto& hop : route->hops) ring_link[hop.link] = true;
    }
    std::vector<std::pair<std::size_t, std::size_t>> others;
    for (int r = 0; r < n_; ++r) {
      others.emplace_back(cpu(r), gpu(r));
      others.emplace_back(gpu(r), cpu(r));
      if (d_.storage_host < d_.hosts.size()) {
        others.emplace_back(d_.storage_host, cpu(r));
        others.emplace_back(cpu(r), d_.storage_host);
      }
    }
    for (const auto& [src, dst] : others) {
      const PlatformRoute* route = d_.route(src, dst);
      if (route == nullptr) continue;
      for (const auto& hop : route->hops) {
        if (ring_link[hop.link]) return false;
      }
    }
    return true;
  }
  [[nodiscard]] int epoch_of(long long k) const { return static_cast<int>(k / plan_.iterations_per_epoch); }
  [[nodiscard]] bool first_of_epoch(long long k) const { return k % plan_.iterations_per_epoch == 0; }
  // The epoch's last replayed iteration: its natural last, or where a sampled replay cut it.
  [[nodiscard]] bool last_of_epoch(long long k) const { return k == cut_[static_cast<std::size_t>(epoch_of(k))]; }
  [[nodiscard]] bool final_iteration(long long k) const { return epoch_of(k) == last_replayed_epoch_ && last_of_epoch(k); }
  [[nodiscard]] double compute_jitter(int r, long long k) const {
    return lognormal_factor(plan_.compute_cv, plan_.seed, JitterStream::compute, static_cast<std::uint64_t>(r),
                            static_cast<std::uint64_t>(k));
  }
  [[nodiscard]] Event tag(EventKind kind, int r, long long k, int bucket = -1) const {
    Event e;
    e.kind = kind;
    e.rank = static_cast<std::int16_t>(r);
    e.epoch = epoch_of(k);
    e.iteration = k;
    e.bucket = bucket;
    return e;
  }
  IterationState& state(long long k) {
    auto& s = iterations_[k];
    if (s.ranks.empty()) s.ranks.resize(static_cast<std::size_t>(n_));
    return s;
  }

  void set_inflight(int r, int delta) {
    if (companions_.empty()) return;
    int& c = inflight_[static_cast<std::size_t>(r)];
    const bool was = c > 0;
    c += delta;
    if (was != (c > 0)) sim_.set_priority(companions_[static_cast<std::size_t>(r)], c > 0 ? plan_.overlap_slowdown : kIdlePriority);
  }

  // A zero-work marker on `host` after all of `preds`: joins several predecessors into one.
  Node join(std::size_t host, const std::vector<Node>& preds, Simulation::Callback cb = {}) {
    Node j = sim_.marker(host, std::move(cb));
    for (const Node& p : preds) p.then(j);
    sim_.start(j);
    return j;
  }

  // Loader batch j of rank r, issued after `issue` (the take of batch j - W P, or the epoch start).
  void build_load(int r, long long j, const Node& issue) {
    const auto w = static_cast<std::size_t>((j % plan_.iterations_per_epoch) % plan_.workers);
    Node& last = worker_last_[static_cast<std::size_t>(r)][w];
    Event t = tag(EventKind::read, r, j);
    t.bytes = plan_.read_bytes_per_batch;
    Node read = d_.storage_host < d_.hosts.size()
                    ? sim_.comm(d_.storage_host, cpu(r), plan_.read_bytes_per_batch, t)
                    : sim_.exec(cpu(r), 0.0, t);
    issue.then(read);
    last.then(read);
    const double jl = lognormal_factor(plan_.loader_cv, plan_.seed, JitterStream::loader, static_cast<std::uint64_t>(r),
                                       static_cast<std::uint64_t>(j));
    Node load = sim_.exec(cpu(r), plan_.load_s_per_batch * jl, tag(EventKind::load, r, j));
    read.then(load);
    sim_.start(read);
    sim_.start(load);
    last = load;
    loads_[{r, j}] = load;
  }

  // Sampled: the epoch's first iteration of its steady sample (the first is never steady: it waits
  // for the loaders).
  [[nodiscard]] long long steady_from(const PlannedEpoch& p) const { return p.first + std::max(1, options_.sampling.warmup); }
  [[nodiscard]] long long prefetch_depth() const { return static_cast<long long>(plan_.workers) * plan_.prefetch_factor; }

  // Builds the next iteration of the replay: the next of its epoch, or the first of the next
  // replayed epoch once this one is over.
  void build_next() {
    if (next_build_ < 0) return;
    const long long k = next_build_;
    if (sampled_) maybe_cut_epoch(k);
    build_iteration(k);
    if (!last_of_epoch(k)) {
      next_build_ = k + 1;
      return;
    }
    next_build_ = -1;
    for (std::size_t e = static_cast<std::size_t>(epoch_of(k)) + 1; e < epochs_ahead_.size(); ++e) {
      if (epochs_ahead_[e].replayed) {
        next_build_ = epochs_ahead_[e].first;
        break;
      }
    }
  }

  // Sampled replay: before iteration k is built, end its epoch early when the steady iterations
  // finished so far (with those already committed) reach the target confidence. Committed: the
  // loaders have been given every batch up to k - 1 + depth, and those iterations must run; with
  // synthetic data nothing is queued, so k itself can be the last.
  void maybe_cut_epoch(long long k) {
    const auto e = static_cast<std::size_t>(epoch_of(k));
    const PlannedEpoch& p = epochs_ahead_[e];
    const long long natural = p.first + p.iterations - 1;
    if (k == p.first || cut_[e] != natural) return;
    const long long candidate = plan_.synthetic ? k : std::min(natural, k - 1 + prefetch_depth());
    const long long committed = candidate - steady_from(p) + 1;
    if (candidate < natural && sample_is_enough(steady_[e], committed, options_.sampling)) cut_[e] = candidate;
  }

  void build_iteration(long long k) {
    const int e = epoch_of(k);
    const bool first = first_of_epoch(k);
    if (first) {
      for (auto& workers : worker_last_) std::fill(workers.begin(), workers.end(), Node{});
    }
    const long long depth = prefetch_depth();
    const long long epoch_last = cut_[static_cast<std::size_t>(e)];
    std::vector<Node> ready_prev(static_cast<std::size_t>(n_));
    std::vector<std::vector<Node>> backward(static_cast<std::size_t>(n_));
    for (int r = 0; r < n_; ++r) {
      const auto ru = static_cast<std::size_t>(r);
      const double jc = compute_jitter(r, k);
      // The iteration starts after the previous optimizer (or after the previous epoch's end).
      const Node& before = prev_[ru];
      Node data;  // what the forward waits for
      if (!plan_.synthetic) {
        if (first) {
          // A new epoch starts W P batches at once.
          for (long long j = k; j < std::min(epoch_last + 1, k + depth); ++j) build_load(r, j, before);
        }
        Node take = sim_.marker(cpu(r), [this, r, k] { begin_iteration(r, k); });
        before.then(take);
        loads_.at({r, k}).then(take);
        loads_.erase({r, k});
        sim_.start(take);
        if (k + depth <= epoch_last) build_load(r, k + depth, take);
        Event t = tag(EventKind::h2d, r, k);
        t.bytes = plan_.h2d_bytes_per_batch;
        data = sim_.comm(cpu(r), gpu(r), plan_.h2d_bytes_per_batch, t, [this, r, k] {
          state(k).ranks[static_cast<std::size_t>(r)].h2d_end = Simulation::now();
        });
        take.then(data);
        sim_.start(data);
      }
      Event ft = tag(EventKind::forward, r, k);
      ft.flops = plan_.forward_flops;
      Node fwd = sim_.exec(gpu(r), plan_.forward_s * jc, ft, [this, r, k] {
        if (plan_.synthetic) begin_iteration(r, k);
        record_compute(r, k);
        if (r == 0) build_next();
      });
      data.then(fwd);
      before.then(fwd);
      sim_.start(fwd);
      Node last = fwd;
      for (std::size_t c = 0; c < plan_.buckets.size(); ++c) {
        Event bt = tag(EventKind::backward, r, k, static_cast<int>(c));
        bt.flops = plan_.buckets[c].backward_flops;
        const bool final = c + 1 == plan_.buckets.size();
        Node b = sim_.exec(gpu(r), plan_.buckets[c].backward_s * jc, bt, [this, r, k, final] {
          record_compute(r, k);
          if (final) state(k).ranks[static_cast<std::size_t>(r)].backward_end = Simulation::now();
        });
        last.then(b);
        sim_.start(b);
        backward[ru].push_back(b);
        last = b;
      }
      ready_prev[ru] = last;
    }
    // Gradient all-reduce, bucket by bucket, in NCCL stream order.
    std::vector<Node> done_prev(static_cast<std::size_t>(n_));
    if (n_ > 1) {
      for (std::size_t c = 0; c < plan_.buckets.size(); ++c) {
        std::vector<Node> ready(static_cast<std::size_t>(n_));
        for (int r = 0; r < n_; ++r) {
          const auto ru = static_cast<std::size_t>(r);
          const Node& grads = plan_.overlap ? backward[ru][c] : backward[ru].back();
          auto started = [this, r] { set_inflight(r, +1); };
          ready[ru] = join(gpu(r), {grads, done_prev[ru]}, started);
        }
        CollectiveSpec spec;
        spec.op = CollOp::all_reduce;
        spec.algorithm = algorithm_;
        spec.bytes = plan_.buckets[c].bytes;
        spec.ranks = ranks_;
        spec.channels = channels_;
        spec.merge_channels = merge_channels_;
        const CollectiveNodes nodes = build_collective(sim_, planner_, spec, ready, tag(EventKind::allreduce, -1, k, static_cast<int>(c)),
                                                       [this](int rank) { set_inflight(rank, -1); });
        done_prev = nodes.done;
      }
    }
    for (int r = 0; r < n_; ++r) {
      const auto ru = static_cast<std::size_t>(r);
      const double jc = compute_jitter(r, k);
      Node opt = sim_.exec(gpu(r), plan_.optimizer_s * jc, tag(EventKind::optimizer, r, k), [this, r, k] {
        RankTimes& t = state(k).ranks[static_cast<std::size_t>(r)];
        t.opt_start = sim_.started_at();
        t.opt_end = Simulation::now();
        ready_at_[static_cast<std::size_t>(r)] = t.opt_end;
        record_compute(r, k);
        finish_rank(r, k);
      });
      backward[ru].back().then(opt);
      done_prev[ru].then(opt);
      sim_.start(opt);
      prev_[ru] = opt;
    }
    if (last_of_epoch(k)) build_epoch_end(k);
  }

  // The rank has its batch (or, with synthetic data, has started): its iteration began when it
  // finished the previous step; the wait until now is a data stall.
  void begin_iteration(int r, long long k) {
    const auto ru = static_cast<std::size_t>(r);
    RankTimes& t = state(k).ranks[ru];
    t.start = ready_at_[ru];
    t.taken = Simulation::now();
    if (sim_.recorder() != nullptr && t.taken > t.start) {
      Event e = tag(EventKind::stall, r, k);
      e.start = t.start;
      e.end = t.taken;
      sim_.recorder()->record(e);
    }
  }

  void record_compute(int r, long long k) {
    const Seconds d = Simulation::now() - sim_.started_at();
    state(k).ranks[static_cast<std::size_t>(r)].compute += d;
    busy_[static_cast<std::size_t>(r)] += d;
  }

  // Validation and checkpoint after the epoch's last iteration; the next epoch starts after them.
  void build_epoch_end(long long k) {
    const int e = epoch_of(k);
    // As the real epoch would end, also when a sampled replay cut it short.
    const bool validate = epochs_ahead_[static_cast<std::size_t>(e)].validate;
    const bool checkpoint = epochs_ahead_[static_cast<std::size_t>(e)].checkpoint;
    EpochRow row;
    row.epoch = e;
    row.iterations = k + 1 - static_cast<long long>(e) * plan_.iterations_per_epoch;
    epochs_[e] = row;
    // Validation: the forward pass on every rank's GPU; with DBNet's post-processing, also the
    // rank's loader workers (decode, resize) beside it, the post-processing of each output on one
    // core of its main process after it, and rank 0's H-mean over every rank's boxes.
    std::vector<Node> ends(static_cast<std::size_t>(n_));
    for (int r = 0; r < n_; ++r) {
      const auto ru = static_cast<std::size_t>(r);
      ends[ru] = prev_[ru];
      if (!validate) continue;
      const bool cpu_work = plan_.validation_postprocess_s > 0 || plan_.validation_load_s > 0;
      Node v = sim_.exec(gpu(r), plan_.validation_s * compute_jitter(r, -1 - static_cast<long long>(e)),
                         tag(EventKind::validation, r, k), [this, r, e, cpu_work] {
                           busy_[static_cast<std::size_t>(r)] += Simulation::now() - sim_.started_at();
                           if (r == 0 && !cpu_work) epochs_[e].validation_s = Simulation::now() - sim_.started_at();
                           if (r == 0 && cpu_work) validation_start_[e] = sim_.started_at();
                         });
      ends[ru].then(v);
      sim_.start(v);
      if (!cpu_work) {
        ends[ru] = v;
        continue;
      }
      std::vector<Node> parts;
      Node pp = sim_.exec(cpu(r), plan_.validation_postprocess_s, tag(EventKind::validation, r, k));
      v.then(pp);
      sim_.start(pp);
      parts.push_back(pp);
      const int workers = std::max(1, plan_.workers);
      for (int w = 0; w < workers && plan_.validation_load_s > 0; ++w) {
        Node load = sim_.exec(cpu(r), plan_.validation_load_s / workers, tag(EventKind::load, r, k));
        ends[ru].then(load);
        sim_.start(load);
        parts.push_back(load);
      }
      ends[ru] = join(gpu(r), parts);
    }
    if (validate && (plan_.validation_postprocess_s > 0 || plan_.validation_load_s > 0)) {
      // H-mean on rank 0 once every rank's boxes are in; every rank goes on after it (they would
      // wait for rank 0 at the next epoch's first all-reduce anyway).
      Node hm = sim_.exec(cpu(0), plan_.validation_hmean_s, tag(EventKind::validation, 0, k), [this, e] {
        epochs_[e].validation_s = Simulation::now() - validation_start_[e];
      });
      for (const Node& x : ends) x.then(hm);
      sim_.start(hm);
      for (int r = 0; r < n_; ++r) ends[static_cast<std::size_t>(r)] = join(gpu(r), {hm});
    }
    for (int r = 0; r < n_; ++r) {
      const auto ru = static_cast<std::size_t>(r);
      Node end = ends[ru];
      if (checkpoint && r == 0) {
        Event t = tag(EventKind::checkpoint, r, k);
        t.bytes = plan_.checkpoint_bytes;
        Node d2h = sim_.comm(gpu(r), cpu(r), plan_.checkpoint_bytes, t, [this, e] { checkpoint_start_[e] = sim_.started_at(); });
        end.then(d2h);
        sim_.start(d2h);
        end = d2h;
        if (d_.storage_host < d_.hosts.size()) {
          Node write = sim_.comm(cpu(r), d_.storage_host, plan_.checkpoint_bytes, t);
          end.then(write);
          sim_.start(write);
          end = write;
        }
        Node marker = join(gpu(r), {end}, [this, e] {
          epochs_[e].checkpoint_s = Simulation::now() - checkpoint_start_[e];
        });
        end = marker;
      }
      Node mark = join(gpu(r), {end}, [this, r, e, k] { finish_epoch(r, e, k); });
      prev_[ru] = mark;
    }
  }

  void finish_rank(int r, long long k) {
    IterationState& s = state(k);
    if (++s.done < n_) return;
    // Every rank is done with iteration k: its row.
    IterationRow row;
    row.epoch = epoch_of(k);
    row.iteration = k;
    row.start = 1e300;
    row.end = 0;
    for (int q = 0; q < n_; ++q) {
      const RankTimes& t = s.ranks[static_cast<std::size_t>(q)];
      const Seconds start = t.start;
      row.start = std::min(row.start, start);
      row.end = std::max(row.end, t.opt_end);
      row.compute += t.compute / n_;
      row.exposed_comm += std::max(0.0, t.opt_start - t.backward_end) / n_;
      const Seconds data_ready = plan_.synthetic ? start : t.h2d_end;
      row.data_stall += std::max(0.0, data_ready - start) / n_;
    }
    (void)r;
    row.start = std::max(0.0, row.start);
    // Sampled: what the epoch advances per steady iteration (sampled_estimate.hpp extrapolates it).
    if (sampled_ && k >= steady_from(epochs_ahead_[static_cast<std::size_t>(row.epoch)])) {
      steady_[static_cast<std::size_t>(row.epoch)].push_back(row.end - result_.iterations.back().end);
    }
    result_.iterations.push_back(row);
    iterations_.erase(k);
    if (options_.progress) options_.progress(k + 1, total_, Simulation::now());
    if (final_iteration(k)) {
      final_done_ = true;
      maybe_finish();
    }
  }

  void finish_epoch(int r, int e, long long k) {
    ready_at_[static_cast<std::size_t>(r)] = Simulation::now();
    if (r == 0) {
      EpochRow& row = epochs_[e];
      row.start = epoch_started_;
      row.end = Simulation::now();
      epoch_started_ = row.end;
      result_.epochs.push_back(row);
    }
    if (final_iteration(k) && ++epoch_end_ranks_ == n_) maybe_finish();
  }

  void maybe_finish() {
    if (!final_done_ || epoch_end_ranks_ < n_ || finished_) return;
    finished_ = true;
    run_end_ = Simulation::now();
    sim_.stop_companions();
  }

  Simulation& sim_;
  const Topology& topo_;
  CollectivePlanner planner_;
  const ReplayPlan& plan_;
  const RunOptions& options_;
  const PlatformDescription& d_;
  int n_ = 1;
  long long total_ = 0;
  bool sampled_ = false;
  std::vector<PlannedEpoch> epochs_ahead_;  // every epoch of the run, replayed or not
  std::vector<long long> cut_;              // per epoch: its last replayed iteration
  std::vector<std::vector<double>> steady_; // sampled: per epoch, steady iteration lengths so far
  int last_replayed_epoch_ = 0;
  long long next_build_ = 0;                // the next iteration to build; -1 when all are built
  bool final_done_ = false;
  std::vector<int> ranks_;
  Algorithm algorithm_ = Algorithm::auto_;
  int channels_ = 1;
  bool merge_channels_ = false;
  std::string algorithm_name_;
  std::vector<sg4::ExecPtr> companions_;
  std::vector<int> inflight_;
  std::vector<Node> prev_;                 // per rank: the last node built (optimizer or epoch end)
  std::vector<Seconds> ready_at_;          // per rank: when it finished its previous step
  std::vector<std::vector<Node>> worker_last_;
  std::map<std::pair<int, long long>, Node> loads_;
  std::map<int, Seconds> validation_start_;  // per epoch: rank 0's validation forward start
  std::map<long long, IterationState> iterations_;
  std::map<int, EpochRow> epochs_;
  Seconds epoch_started_ = 0;
  std::map<int, Seconds> checkpoint_start_;
  std::vector<Seconds> busy_;
  int epoch_end_ranks_ = 0;
  bool finished_ = false;
  Seconds run_end_ = 0;
  RunResult result_;
};

}  // namespace

RunResult replay(Simulation& sim, const PreparedRun& run, const RunOptions& options) {
  Replay r(sim, run, options);
  return r.run();
}

}  // namespace trainsim::engine
