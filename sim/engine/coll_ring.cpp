// Ring all-reduce, reduce-scatter and all-gather as NCCL runs them: the buffer is split over C
// channels that all follow best_ring's order (so they share its hops), and each channel's part
// into n segments. Reduce-scatter: in step s rank r sends segment (r - s) mod n to rank r+1, which
// adds its own and forwards it in step s+1; after n-1 steps each rank holds one reduced segment.
// All-gather: in step s rank r forwards the segment it received in step s-1. All-reduce is one then
// the other: 2(n-1) steps.
//
// Across the machines of a cluster, channel c follows its own order (Ring::channel_orders) so that
// each channel crosses the network on its own rail; lane (r, c) is then the hop from position r to
// r+1 of channel c's order.
//
// Lane (r, c): the hop from ring rank r to r+1 on channel c. Transfer s of that lane waits for
// transfer s-1 of the same lane and for transfer s-1 of lane (r-1, c): what it forwards. On a mixed
// ring, this makes the slowest hop set the pace, as on the real machine.
//
// Merged channels (CollectiveSpec::merge_channels, bytes a multiple of C): the C lanes of a hop
// are C equal flows with the same route, start and dependencies, so they run in lockstep; under
// max-min sharing C equal flows on a route get C times one flow's share only if every other flow
// on those links is replicated C times as well, which the caller guarantees. Then one lane per hop
// carrying the C shares gives the same times with 1/C of the transfers.
#include "sim/engine/coll_lanes.hpp"

#include <algorithm>
#include <cmath>

namespace trainsim::engine {

namespace {

class RingPlan final : public LanePlan {
 public:
  explicit RingPlan(const PlanContext& ctx)
      : n_(static_cast<int>(ctx.order.size())),
        channels_(ctx.spec.channels > 0 ? ctx.spec.channels : ctx.planner.channels(ctx.spec.ranks)),
        op_(ctx.spec.op),
        bytes_(ctx.spec.bytes) {
    const int steps = op_ == CollOp::all_reduce ? 2 * (n_ - 1) : n_ - 1;
    // Across machines each channel has its own order (its rail); positions in spec.ranks.
    std::vector<std::vector<int>> orders;
    for (const auto& gpus : ctx.planner.ring(ctx.spec.ranks).channel_orders) {
      std::vector<int> positions;
      for (const int g : gpus) {
        positions.push_back(static_cast<int>(std::find(ctx.spec.ranks.begin(), ctx.spec.ranks.end(), g) - ctx.spec.ranks.begin()));
      }
      orders.push_back(std::move(positions));
    }
    // Channels merge only where they follow one order: rails of a cluster take different hops.
    const bool one_order = std::all_of(orders.begin(), orders.end(), [&](const auto& o) { return o == orders.front(); });
    if (ctx.spec.merge_channels && one_order && channels_ > 1 && std::llround(std::max(0.0, bytes_)) % channels_ == 0) {
      merged_ = channels_;
      channels_ = 1;
    }
    for (int r = 0; r < n_; ++r) {
      for (int c = 0; c < channels_; ++c) {
        const auto& order = orders.empty() ? ctx.order : orders[static_cast<std::size_t>(c) % orders.size()];
        const int a = order[static_cast<std::size_t>(r)];
        const int b = order[static_cast<std::size_t>((r + 1) % n_)];
        lanes_.push_back({ctx.host(a), ctx.host(b), a, b, steps});
      }
    }
  }

  Bytes bytes(int lane, int step) const override {
    const int r = lane / channels_;
    const int c = lane % channels_;
    if (merged_ > 1) return merged_ * share_bytes(share_bytes(bytes_, merged_, 0), n_, segment(r, step));
    const Bytes channel = share_bytes(bytes_, channels_, c);
    return share_bytes(channel, n_, segment(r, step));
  }

  void after(int lane, int step, std::vector<LaneRef>& out) const override {
    out.clear();
    if (step == 0) return;
    const int r = lane / channels_;
    const int c = lane % channels_;
    out.push_back({((r - 1 + n_) % n_) * channels_ + c, step - 1});
  }

 private:
  // The segment rank r sends in `step` (which of the n parts of its channel).
  [[nodiscard]] int segment(int r, int step) const {
    const bool gather = op_ == CollOp::all_gather || (op_ == CollOp::all_reduce && step >= n_ - 1);
    if (!gather) return ((r - step) % n_ + n_) % n_;
    const int s = op_ == CollOp::all_reduce ? step - (n_ - 1) : step;
    return ((r + 1 - s) % n_ + n_) % n_;
  }

  int n_;
  int channels_;
  int merged_ = 1;  // channels carried by each lane
  CollOp op_;
  Bytes bytes_;
};

}  // namespace

std::unique_ptr<LanePlan> ring_plan(const PlanContext& ctx) { return std::make_unique<RingPlan>(ctx); }

}  // namespace trainsim::engine
