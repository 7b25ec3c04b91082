// Direct (one-shot) all-reduce through an NVSwitch or over a full NVLink mesh: every rank sends
// its whole buffer to every other rank at once and reduces what it receives locally. One step, so
// one latency; each GPU's links carry n-1 buffers each way. Fast for small buffers, wasteful for
// large ones (what the tuner weighs).
//
// Lanes: one per ordered pair of ranks, one transfer each, no cross-lane dependencies.
#include "sim/engine/coll_lanes.hpp"

namespace trainsim::engine {

namespace {

class DirectPlan final : public LanePlan {
 public:
  explicit DirectPlan(const PlanContext& ctx) : bytes_(ctx.spec.bytes) {
    const int n = static_cast<int>(ctx.spec.ranks.size());
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) {
        if (a != b) lanes_.push_back({ctx.host(a), ctx.host(b), a, b, 1});
      }
    }
  }

  Bytes bytes(int, int) const override { return share_bytes(bytes_, 1, 0); }
  void after(int, int, std::vector<LaneRef>& out) const override { out.clear(); }

 private:
  Bytes bytes_;
};

}  // namespace

std::unique_ptr<LanePlan> direct_plan(const PlanContext& ctx) { return std::make_unique<DirectPlan>(ctx); }

}  // namespace trainsim::engine
