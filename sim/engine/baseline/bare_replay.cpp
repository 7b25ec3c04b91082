#include "sim/engine/baseline/bare_replay.hpp"

#include <simgrid/s4u.hpp>

#include <chrono>
#include <ctime>
#include <deque>

#include "sim/engine/coll_planner.hpp"
#include "sim/engine/sg_platform.hpp"
#include "sim/topo/platform.hpp"

namespace trainsim {

namespace {

namespace sg4 = simgrid::s4u;

// An activity with its type, so that add_successor can be called (SimGrid 3.32).
struct Act {
  sg4::ExecPtr e;
  sg4::CommPtr c;
  [[nodiscard]] sg4::Activity* get() const { return e ? static_cast<sg4::Activity*>(e.get()) : c.get(); }
  void then(const Act& n) const {
    if (get() == nullptr || n.get() == nullptr || get()->get_state() == sg4::Activity::State::FINISHED) return;
    const sg4::ActivityPtr next = n.e ? sg4::ActivityPtr(n.e) : sg4::ActivityPtr(n.c);
    if (e) {
      e->add_successor(next);
    } else {
      c->add_successor(next);
    }
  }
  void start() const {
    if (e) {
      e->vetoable_start();
    } else {
      c->vetoable_start();
    }
  }
};

class Bare {
 public:
  Bare(const PreparedRun& run, long long target) : run_(run), d_(describe_platform(run.topo)), target_(target) {
    engine_ = engine::make_engine(true);  // the same undistorted CM02 as the replay
    auto* zone = sg4::create_full_zone("bare");
    for (const auto& h : d_.hosts) {
      auto* host = zone->create_host(h.name, 1.0);
      if (h.cores > 1) host->set_core_count(h.cores);
      hosts_.push_back(host);
    }
    std::vector<sg4::Link*> links;
    for (const auto& l : d_.links) {
      links.push_back(l.shared ? zone->create_link(l.name, l.bytes_per_s)->set_latency(std::max(l.latency_s, 1e-9))->seal()
                               : zone->create_split_duplex_link(l.name, l.bytes_per_s)
                                     ->set_latency(std::max(l.latency_s, 1e-9))
                                     ->seal());
    }
    for (const auto& r : d_.routes) {
      std::vector<sg4::LinkInRoute> hops;
      for (const Hop& h : r.hops) {
        hops.emplace_back(links[h.link], d_.links[h.link].shared ? sg4::LinkInRoute::Direction::NONE
                                         : h.forward           ? sg4::LinkInRoute::Direction::UP
                                                               : sg4::LinkInRoute::Direction::DOWN);
      }
      zone->add_route(hosts_[r.src]->get_netpoint(), hosts_[r.dst]->get_netpoint(), nullptr, nullptr, hops, false);
    }
    zone->seal();
    const int n = run.plan.gpus;
    prev_.resize(static_cast<std::size_t>(n));
    if (n > 1) {
      const CollectivePlanner planner(run.topo);
      ring_ = planner.ring(all_gpus(run.topo)).order;
      channels_ = planner.channels(all_gpus(run.topo));
    }
    sg4::Activity::on_completion_cb([this](const sg4::Activity& a) {
      if (const auto* slot = a.get_data<Slot>(); slot != nullptr) transfer_finished(*slot);
      if (!triggers_.empty() && &a == triggers_.front()) {
        triggers_.pop_front();
        build();
      }
      ++completed_;
      while (!window_.empty() && window_.front().pending_done()) {
        grave_.push_back(std::move(window_.front()));
        window_.pop_front();
        if (grave_.size() > 4) grave_.pop_front();
        while (rings_.size() > 4 * run_.plan.buckets.size()) rings_.pop_front();
      }
    });
  }

  BareResult run() {
    const auto t0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    build();
    build();
    engine_->run();
    return {created_, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
            static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC};
  }

 private:
  struct Step {
    std::vector<Act> acts;
    std::size_t scanned = 0;  // acts[0..scanned) are known to have finished
    [[nodiscard]] bool pending_done() {
      while (scanned < acts.size() && acts[scanned].get()->get_state() == sg4::Activity::State::FINISHED) ++scanned;
      return scanned == acts.size();
    }
  };

  struct RingRun;
  struct Slot {
    RingRun* ring = nullptr;
    int lane = 0;
    int step = 0;
  };
  struct RingRun {
    int steps = 0;
    double seg = 0;
    std::vector<std::vector<Act>> lanes;  // [lane][step]; lane = ring position x channels + channel
    std::vector<Slot> slots;
    std::vector<int> pending;             // per ring position
    std::vector<Act> ready, done;         // per ring position
    int remaining_positions = 0;
  };

  void create(RingRun& ring, int lane, int s) {
    const int n = static_cast<int>(ring_.size());
    const int i = lane / channels_;
    const int from = ring_[static_cast<std::size_t>(i)], to = ring_[static_cast<std::size_t>((i + 1) % n)];
    Act t{nullptr, sg4::Comm::sendto_init(hosts_[d_.gpu_hosts[static_cast<std::size_t>(from)]],
                                          hosts_[d_.gpu_hosts[static_cast<std::size_t>(to)]])
                       ->set_payload_size(ring.seg)};
    Slot& slot = ring.slots[static_cast<std::size_t>(lane * ring.steps + s)];
    slot = {&ring, lane, s};
    t.c->set_data(&slot);
    ++created_;
    if (s == 0) {
      ring.ready[static_cast<std::size_t>(i)].then(t);
    } else {
      const int prev_lane = ((i - 1 + n) % n) * channels_ + lane % channels_;
      ring.lanes[static_cast<std::size_t>(lane)][static_cast<std::size_t>(s - 1)].then(t);
      ring.lanes[static_cast<std::size_t>(prev_lane)][static_cast<std::size_t>(s - 1)].then(t);
    }
    ring.lanes[static_cast<std::size_t>(lane)][static_cast<std::size_t>(s)] = t;
    t.start();
  }

  void transfer_finished(const Slot& slot) {
    RingRun& ring = *slot.ring;
    const int n = static_cast<int>(ring_.size());
    if (slot.step + 1 < ring.steps) create(ring, slot.lane, slot.step + 1);
    const int i = slot.lane / channels_;
    for (const int pos : {i, (i + 1) % n}) {
      if (--ring.pending[static_cast<std::size_t>(pos)] == 0) {
        ring.ready[static_cast<std::size_t>(pos)].then(ring.done[static_cast<std::size_t>(pos)]);
        ring.done[static_cast<std::size_t>(pos)].start();
      }
    }
  }

  Act exec(std::size_t host, double s, Step& step) {
    Act a{sg4::Exec::init()->set_host(hosts_[host])->set_flops_amount(s), nullptr};
    step.acts.push_back(a);
    ++created_;
    return a;
  }
  Act comm(std::size_t src, std::size_t dst, double bytes, Step& step) {
    Act a{nullptr, sg4::Comm::sendto_init(hosts_[src], hosts_[dst])->set_payload_size(bytes)};
    step.acts.push_back(a);
    ++created_;
    return a;
  }

  void build() {
    if (created_ >= target_) return;
    const ReplayPlan& p = run_.plan;
    const int n = p.gpus;
    Step step;
    std::vector<std::vector<Act>> chunks(static_cast<std::size_t>(n));
    Act first_fwd;
    for (int r = 0; r < n; ++r) {
      const std::size_t g = d_.gpu_hosts[static_cast<std::size_t>(r)];
      const std::size_t cpu = d_.cpu_hosts.front();
      Act last = prev_[static_cast<std::size_t>(r)];
      if (!p.synthetic) {
        Act read = d_.storage_host < d_.hosts.size() ? comm(d_.storage_host, cpu, p.read_bytes_per_batch, step)
                                                     : exec(cpu, 0, step);
        Act load = exec(cpu, p.load_s_per_batch, step);
        Act take = exec(cpu, 0, step);
        Act h2d = comm(cpu, g, p.h2d_bytes_per_batch, step);
        read.then(load);
        load.then(take);
        last.then(take);
        take.then(h2d);
        last = h2d;
      }
      Act fwd = exec(g, p.forward_s, step);
      last.then(fwd);
      if (r == 0) first_fwd = fwd;
      last = fwd;
      for (const auto& b : p.buckets) {
        Act c = exec(g, b.backward_s, step);
        last.then(c);
        Act mark = exec(g, 0, step);
        c.then(mark);
        chunks[static_cast<std::size_t>(r)].push_back(mark);
        last = c;
      }
      prev_[static_cast<std::size_t>(r)] = last;
    }
    // Per bucket a ring all-reduce, its transfers created a step ahead like the engine's lanes;
    // a per-rank marker starts when that rank's transfers of the bucket have finished.
    std::vector<Act> done_prev(static_cast<std::size_t>(n));
    if (n > 1) {
      for (std::size_t c = 0; c < p.buckets.size(); ++c) {
        auto ring = std::make_unique<RingRun>();
        ring->steps = 2 * (n - 1);
        ring->seg = p.buckets[c].bytes / n / channels_;
        const int lanes = n * channels_;
        ring->lanes.assign(static_cast<std::size_t>(lanes), std::vector<Act>(static_cast<std::size_t>(ring->steps)));
        ring->slots.resize(static_cast<std::size_t>(lanes * ring->steps));
        ring->pending.assign(static_cast<std::size_t>(n), 2 * ring->steps * channels_);
        for (int i = 0; i < n; ++i) {
          const int r = ring_[static_cast<std::size_t>(i)];
          Act ready = exec(d_.gpu_hosts[static_cast<std::size_t>(r)], 0, step);
          chunks[static_cast<std::size_t>(r)][c].then(ready);
          done_prev[static_cast<std::size_t>(r)].then(ready);
          ring->ready.push_back(ready);
          // started when the rank's transfers are over (not from the step's list)
          ring->done.push_back(Act{sg4::Exec::init()->set_host(hosts_[d_.gpu_hosts[static_cast<std::size_t>(r)]])->set_flops_amount(0), nullptr});
          ++created_;
        }
        for (int lane = 0; lane < lanes; ++lane) create(*ring, lane, 0);
        for (int i = 0; i < n; ++i) done_prev[static_cast<std::size_t>(ring_[static_cast<std::size_t>(i)])] = ring->done[static_cast<std::size_t>(i)];
        rings_.push_back(std::move(ring));
      }
    }
    for (int r = 0; r < n; ++r) {
      const std::size_t g = d_.gpu_hosts[static_cast<std::size_t>(r)];
      Act opt = exec(g, p.optimizer_s, step);
      prev_[static_cast<std::size_t>(r)].then(opt);
      done_prev[static_cast<std::size_t>(r)].then(opt);
      prev_[static_cast<std::size_t>(r)] = opt;
    }
    for (const auto& a : step.acts) a.start();
    triggers_.push_back(first_fwd.get());
    window_.push_back(std::move(step));
  }

  const PreparedRun& run_;
  PlatformDescription d_;
  long long target_;
  std::unique_ptr<sg4::Engine> engine_;
  std::vector<sg4::Host*> hosts_;
  std::vector<int> ring_;
  int channels_ = 1;
  std::vector<Act> prev_;
  std::deque<Step> window_, grave_;
  std::deque<std::unique_ptr<RingRun>> rings_;
  std::deque<const sg4::Activity*> triggers_;
  long long created_ = 0, completed_ = 0;
};

}  // namespace

BareResult run_bare_replay(const PreparedRun& run, long long activities) {
  Bare b(run, activities);
  return b.run();
}

}  // namespace trainsim
