// Hierarchical all-reduce across the machines of a cluster: a reduce-scatter inside each machine
// along its ring (over NVSwitch/NVLink or PCIe), one ring per slot across the machines (slot l:
// GPU l of every machine, on its rail), an all-gather inside each machine. The buffer is cut into a
// few pipeline chunks (hier_chunk_weights) so that the three phases overlap as in NCCL's
// pipelined kernels.
//
// Aggregated flows. Each phase's ring steps are fused into one transfer per hop and chunk: a ring
// keeps every hop busy at once, so in the fluid model a hop's steps of one chunk are one flow of
// their summed bytes. The lanes: the n machine-ring hops (reduce-scatter), the n rail hops, the
// n machine-ring hops again (all-gather), each with one transfer per chunk: 3 n P transfers per
// all-reduce (P <= 8), against the flat ring's 2 (n-1) n C.
//
// Bytes: those of NCCL's flat ring over the same ranks, link by link. NCCL's ring moves 2(n-1)/n S
// out of every GPU, of which each machine sends 2(n-1)/n S over its NICs (one crossing per channel)
// and 2(g-1)(n-1)/n S over its own links. A true hierarchical all-reduce would move 2(M-1)/M S / g
// per rail hop and (g-1)/g S per machine-ring hop and phase; each phase's bytes are scaled to the
// ring's: (n-1)/n S (g-1)/g per machine-ring hop and phase, 2(n-1)/n S / g per rail hop. So every
// NIC carries 2(n-1)/n S / C as in NCCL's ring and the network phase's busbw is the NIC rate x the
// rails (docs/collectives.md).
//
// Waits: a rail transfer of chunk p after the reduce-scatter of chunk p reached both its ends; an
// all-gather transfer of chunk p after the rail ring of chunk p reached its sender (in and out);
// within a ring, a hop's chunk p after the previous hop's chunk p-1 (the slowest hop sets the pace).
// Latency: NCCL's ring pays one latency per step, 2(n-1) steps, of which 2(M-1) cross the network
// (src/graph/tuning.cc: nInterSteps). A fused transfer stands for several steps, so it pays its
// share of them: a machine-ring hop (n-M) steps per phase, a rail hop 2(M-1), spread over the P
// chunks: (steps / P) x its route's latency, of which the route itself pays one and a wait before
// the transfer (LanePlan::extra_latency, Simulation::delay) the rest, one wait per chunk for a
// machine's hops of a phase or a rail's ring (LanePlan::wait_group). With P = 1 (below 12 MiB) the
// critical path pays NCCL's 2(n-1) latencies as the flat ring does.
#include <algorithm>
#include <map>

#include "sim/engine/coll_lanes.hpp"
#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace {

class HierPlan final : public LanePlan {
 public:
  explicit HierPlan(const PlanContext& ctx) : weights_(hier_chunk_weights(ctx.spec.bytes)) {
    std::string why;
    if (!ctx.planner.hierarchical_layout(ctx.spec.ranks, &layout_, &why)) {
      throw InputError({}, "algorithm", "hierarchical", why);
    }
    m_ = layout_.machines();
    g_ = layout_.per_machine();
    n_ = m_ * g_;
    const double n = n_;
    intra_ = static_cast<Bytes>(std::llround(ctx.spec.bytes * (g_ - 1) * (n - 1) / (g_ * n)));
    inter_ = static_cast<Bytes>(std::llround(2 * ctx.spec.bytes * (n - 1) / (g_ * n)));
    const int chunks = static_cast<int>(weights_.size());
    layout_.index_ranks(ctx.spec.ranks.size());
    // Lanes: reduce-scatter hops, rail hops, all-gather hops (same-chunk waits point to lanes before).
    for (int phase = 0; phase < 2; ++phase) {
      for (int k = 0; k < m_; ++k) {
        const auto& loc = layout_.local[static_cast<std::size_t>(k)];
        for (int j = 0; j < g_; ++j) {
          const int a = loc[static_cast<std::size_t>(j)];
          const int b = loc[static_cast<std::size_t>((j + 1) % g_)];
          lanes_.push_back({ctx.host(a), ctx.host(b), a, b, chunks});
        }
      }
      if (phase == 1) break;
      for (int l = 0; l < g_; ++l) {
        for (int k = 0; k < m_; ++k) {
          const int a = at(k, l);
          const int b = at((k + 1) % m_, l);
          lanes_.push_back({ctx.host(a), ctx.host(b), a, b, chunks});
        }
      }
    }
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      const int lane = static_cast<int>(i);
      const bool rail = lane >= n_ && lane < 2 * n_;
      const double steps = rail ? 2.0 * (m_ - 1) : static_cast<double>(n_ - m_);
      extra_.push_back(hier_step_latency(route_latency(ctx.platform, lanes_[i].src, lanes_[i].dst), steps, chunks) -
                       route_latency(ctx.platform, lanes_[i].src, lanes_[i].dst));
    }
    // One wait per group and chunk: the largest of its lanes'.
    std::map<int, Seconds> most;
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      Seconds& x = most[wait_group(static_cast<int>(i))];
      x = std::max(x, extra_[i]);
    }
    for (std::size_t i = 0; i < lanes_.size(); ++i) extra_[i] = most[wait_group(static_cast<int>(i))];
  }

  Seconds extra_latency(int lane, int /*chunk*/) const override { return extra_[static_cast<std::size_t>(lane)]; }
  // A machine's reduce-scatter hops (group k), its all-gather hops (m + k), a rail's ring (2m + l).
  int wait_group(int lane) const override {
    if (lane < n_) return lane / g_;
    if (lane < 2 * n_) return 2 * m_ + (lane - n_) / m_;
    return m_ + (lane - 2 * n_) / g_;
  }

  Bytes bytes(int lane, int chunk) const override {
    const bool rail = lane >= n_ && lane < 2 * n_;
    return weighted_bytes(rail ? inter_ : intra_, weights_, static_cast<std::size_t>(chunk));
  }

  void after(int lane, int chunk, std::vector<LaneRef>& out) const override {
    out.clear();
    if (lane < n_ || lane >= 2 * n_) {  // a machine-ring hop: k * g + j (+ 2n for the all-gather)
      const int base = lane < n_ ? 0 : 2 * n_;
      const int k = (lane - base) / g_;
      const int j = (lane - base) % g_;
      if (base > 0) {
        const int a = layout_.local[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)];
        out.push_back({rail_out(a), chunk});
        out.push_back({rail_in(a), chunk});
      }
      if (chunk > 0) out.push_back({base + k * g_ + (j - 1 + g_) % g_, chunk - 1});
      return;
    }
    const int l = (lane - n_) / m_;
    const int k = (lane - n_) % m_;
    out.push_back({rs_in(at(k, l)), chunk});
    out.push_back({rs_in(at((k + 1) % m_, l)), chunk});
    if (chunk > 0) out.push_back({n_ + l * m_ + (k - 1 + m_) % m_, chunk - 1});
  }

 private:
  [[nodiscard]] int at(int machine, int slot) const { return layout_.at(machine, slot); }
  // The reduce-scatter lane into rank position a; the rail lanes out of and into it.
  [[nodiscard]] int rs_in(int a) const {
    const auto u = static_cast<std::size_t>(a);
    return layout_.machine_of[u] * g_ + (layout_.ring_pos[u] - 1 + g_) % g_;
  }
  [[nodiscard]] int rail_out(int a) const {
    const auto u = static_cast<std::size_t>(a);
    return n_ + layout_.slot_of[u] * m_ + layout_.machine_of[u];
  }
  [[nodiscard]] int rail_in(int a) const {
    const auto u = static_cast<std::size_t>(a);
    return n_ + layout_.slot_of[u] * m_ + (layout_.machine_of[u] - 1 + m_) % m_;
  }

  // A route's latency as SimGrid sums it (sg_platform.cpp: every link at least 1 ns).
  static Seconds route_latency(const PlatformDescription& platform, std::size_t src, std::size_t dst) {
    const PlatformRoute* r = platform.route(src, dst);
    Seconds sum = 0;
    if (r != nullptr) {
      for (const Hop& h : r->hops) sum += std::max(platform.links[h.link].latency_s, 1e-9);
    }
    return sum;
  }

  std::vector<long long> weights_;
  std::vector<Seconds> extra_;  // per lane
  HierLayout layout_;
  int m_ = 0;
  int g_ = 0;
  int n_ = 0;
  Bytes intra_ = 0;  // per machine-ring hop and phase
  Bytes inter_ = 0;  // per rail hop
};

}  // namespace

std::unique_ptr<LanePlan> hierarchical_plan(const PlanContext& ctx) { return std::make_unique<HierPlan>(ctx); }

}  // namespace trainsim::engine
