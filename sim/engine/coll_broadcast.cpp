// Broadcast as NCCL runs it: a chain along the ring starting at the root, the buffer cut into
// pipelined chunks; each rank forwards chunk j once it received it, and each hop carries its
// chunks in order.
//
// Lane h: the chain's hop from its h-th rank to the next; chunk j of lane h waits for chunk j of
// lane h-1.
#include <algorithm>

#include "sim/engine/coll_lanes.hpp"

namespace trainsim::engine {

namespace {

class BroadcastPlan final : public LanePlan {
 public:
  explicit BroadcastPlan(const PlanContext& ctx) : chunks_(CollectivePlanner::chunks(ctx.spec.bytes)), bytes_(ctx.spec.bytes) {
    const auto n = ctx.order.size();
    const auto at = std::find(ctx.order.begin(), ctx.order.end(), ctx.spec.root);
    const auto start = static_cast<std::size_t>(at - ctx.order.begin());
    for (std::size_t h = 0; h + 1 < n; ++h) {
      const int a = ctx.order[(start + h) % n];
      const int b = ctx.order[(start + h + 1) % n];
      lanes_.push_back({ctx.host(a), ctx.host(b), a, b, chunks_});
    }
  }

  Bytes bytes(int, int chunk) const override { return share_bytes(bytes_, chunks_, chunk); }

  void after(int lane, int chunk, std::vector<LaneRef>& out) const override {
    out.clear();
    if (lane > 0) out.push_back({lane - 1, chunk});
  }

 private:
  int chunks_;
  Bytes bytes_;
};

}  // namespace

std::unique_ptr<LanePlan> broadcast_plan(const PlanContext& ctx) { return std::make_unique<BroadcastPlan>(ctx); }

}  // namespace trainsim::engine
