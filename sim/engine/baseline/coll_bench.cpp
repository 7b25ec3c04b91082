#include "sim/engine/baseline/coll_bench.hpp"

#include <chrono>
#include <ctime>

#include "sim/engine/coll_lanes.hpp"
#include "sim/engine/collective.hpp"
#include "sim/engine/sg_platform.hpp"
#include "sim/util/error.hpp"

namespace trainsim {

namespace {

namespace sg4 = simgrid::s4u;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

class CountingRecorder final : public Recorder {
 public:
  void record(const Event& e) override {
    ++events;
    bytes += e.bytes;
  }
  long long events = 0;
  double bytes = 0;
};

// The bare baseline: ring lanes (r, c), 2(n-1) steps each; step s after step s-1 of the lane and of
// lane (r-1, c); step s+1 created when step s finishes. Two collectives' activities are kept: the
// one running and the one before (whose last activity may still be completing).
class BareRing {
 public:
  BareRing(std::vector<sg4::Host*> ring_hosts, int channels, Bytes bytes, int collectives)
      : hosts_(std::move(ring_hosts)),
        n_(static_cast<int>(hosts_.size())),
        channels_(channels),
        steps_(2 * (n_ - 1)),
        collectives_(collectives) {
    for (int c = 0; c < channels_; ++c) {
      const Bytes channel = engine::share_bytes(bytes, channels_, c);
      for (int seg = 0; seg < n_; ++seg) segment_bytes_.push_back(engine::share_bytes(channel, n_, seg));
    }
  }

  void start() {
    sg4::Activity::on_completion_cb([this](const sg4::Activity& a) {
      if (auto* slot = a.get_data<Slot>(); slot != nullptr) finished(*slot);
    });
    begin();
  }

  [[nodiscard]] long long flows() const { return flows_; }

 private:
  struct Slot {
    int lane = 0;
    int step = 0;
  };

  void begin() {
    previous_ = std::move(current_);
    previous_slots_ = std::move(slots_);
    const int lanes = n_ * channels_;
    current_.assign(static_cast<std::size_t>(lanes), std::vector<sg4::CommPtr>(static_cast<std::size_t>(steps_)));
    slots_.assign(static_cast<std::size_t>(lanes * steps_), Slot{});
    remaining_ = lanes * steps_;
    for (int lane = 0; lane < lanes; ++lane) create(lane, 0);
  }

  void create(int lane, int step) {
    const int r = lane / channels_;
    const int c = lane % channels_;
    const int seg = ((r - step) % n_ + n_) % n_;  // the sizes differ by a byte at most; any bijection will do
    auto comm = sg4::Comm::sendto_init(hosts_[static_cast<std::size_t>(r)], hosts_[static_cast<std::size_t>((r + 1) % n_)]);
    comm->set_payload_size(static_cast<std::uint64_t>(segment_bytes_[static_cast<std::size_t>(c * n_ + seg)]));
    Slot& slot = slots_[static_cast<std::size_t>(lane * steps_ + step)];
    slot = {lane, step};
    comm->set_data(&slot);
    if (step > 0) {
      for (const int from : {lane, ((r - 1 + n_) % n_) * channels_ + c}) {
        auto& pred = current_[static_cast<std::size_t>(from)][static_cast<std::size_t>(step - 1)];
        if (pred && pred->get_state() != sg4::Activity::State::FINISHED) pred->add_successor(comm);
      }
    }
    current_[static_cast<std::size_t>(lane)][static_cast<std::size_t>(step)] = comm;
    comm->vetoable_start();
  }

  void finished(const Slot& slot) {
    ++flows_;
    const int lane = slot.lane;
    const int step = slot.step;
    if (step + 1 < steps_) create(lane, step + 1);
    if (--remaining_ == 0 && ++done_ < collectives_) begin();
  }

  std::vector<sg4::Host*> hosts_;
  int n_;
  int channels_;
  int steps_;
  int collectives_;
  std::vector<Bytes> segment_bytes_;
  std::vector<std::vector<sg4::CommPtr>> current_, previous_;
  std::vector<Slot> slots_, previous_slots_;
  int remaining_ = 0;
  int done_ = 0;
  long long flows_ = 0;
};

}  // namespace

long long ring_allreduce_transfers(const Topology& topo) {
  const CollectivePlanner planner(topo);
  const auto ranks = all_gpus(topo);
  const long long n = topo.gpu_count();
  return n < 2 ? 0 : n * planner.channels(ranks) * 2 * (n - 1);
}

FlowBench bench_collectives(const Topology& topo, Bytes bytes, int collectives) {
  engine::Simulation sim(describe_platform(topo));
  CountingRecorder recorder;
  sim.set_recorder(&recorder);
  const CollectivePlanner planner(topo);
  engine::CollectiveSpec spec;
  spec.op = CollOp::all_reduce;
  spec.algorithm = Algorithm::ring;
  spec.bytes = bytes;
  spec.ranks = all_gpus(topo);
  FlowBench out;
  int built = 0;
  int remaining = 0;
  std::function<void()> next = [&] {
    remaining = static_cast<int>(spec.ranks.size());
    Event tag;
    tag.iteration = built++;
    const auto nodes = engine::build_collective(sim, planner, spec, {}, tag, [&](int) {
      if (--remaining == 0 && built < collectives) next();
    });
    out.flows += nodes.transfers;
  };
  const auto t0 = Clock::now();
  const double c0 = cpu_now();
  next();
  sim.run();
  out.wall = since(t0);
  out.cpu = cpu_now() - c0;
  if (recorder.events != out.flows) throw RuntimeError("bench: recorded " + std::to_string(recorder.events) + " of " +
                                                       std::to_string(out.flows) + " transfers");
  return out;
}

FlowBench bench_bare_graph(const Topology& topo, Bytes bytes, int collectives) {
  auto engine = engine::make_engine(true);
  const PlatformDescription platform = describe_platform(topo);
  const auto hosts = engine::build_platform(platform);
  const CollectivePlanner planner(topo);
  const auto ranks = all_gpus(topo);
  std::vector<sg4::Host*> ring_hosts;
  for (const int g : planner.ring(ranks).order) ring_hosts.push_back(hosts[platform.gpu_hosts[static_cast<std::size_t>(g)]]);
  BareRing bare(ring_hosts, planner.channels(ranks), bytes, collectives);
  const auto t0 = Clock::now();
  const double c0 = cpu_now();
  bare.start();
  engine->run();
  FlowBench out;
  out.wall = since(t0);
  out.cpu = cpu_now() - c0;
  out.flows = bare.flows();
  return out;
}

}  // namespace trainsim
