// NVLink SHARP (NVLS) all-reduce: the NVSwitch reduces and multicasts. For each chunk of S/k,
// GPU g's link to the switch carries, upward, its data for the reduction (S/k) and its reduced
// slice for the multicast (S/(nk)); downward, its reduced slice (S/(nk)) and everyone's reduced
// slices (S/k). Chunk j goes up beside chunk j-1 coming down. The switch is a host of the
// platform (PlatformDescription::switch_hosts), the endpoint of both.
//
// The NVSwitch's reduction and multicast reach a fraction of the NVLink bandwidth (catalog
// links.nvswitch.nvls_efficiency, NCCL's own figure): the platform's routes to and from the switch
// host cross an NVLS port link of that capacity (platform.hpp), so the cap holds beside whatever
// else the GPU's NVLink carries.
//
// Lanes: up lane g (GPU -> switch) and down lane g (switch -> GPU) per rank; chunk j comes down to
// any GPU only after every GPU sent chunk j up.
#include "sim/engine/coll_lanes.hpp"
#include "sim/util/error.hpp"

namespace trainsim::engine {

namespace {

class NvlsPlan final : public LanePlan {
 public:
  explicit NvlsPlan(const PlanContext& ctx)
      : n_(static_cast<int>(ctx.spec.ranks.size())), chunks_(CollectivePlanner::chunks(ctx.spec.bytes)), bytes_(ctx.spec.bytes) {
    std::size_t sw = 0;
    if (!ctx.planner.nvls_switch(sw)) throw RuntimeError("nvls plan on a node without NVLS");
    std::size_t sw_host = ctx.platform.hosts.size();
    for (const std::size_t h : ctx.platform.switch_hosts) {
      if (ctx.platform.hosts[h].vertex == sw) sw_host = h;
    }
    if (sw_host == ctx.platform.hosts.size()) throw RuntimeError("nvls: the NVSwitch is not a host of the platform");
    for (int g = 0; g < n_; ++g) lanes_.push_back({ctx.host(g), sw_host, g, -1, chunks_});
    for (int g = 0; g < n_; ++g) lanes_.push_back({sw_host, ctx.host(g), -1, g, chunks_});
  }

  Bytes bytes(int lane, int chunk) const override {
    const Bytes c = share_bytes(bytes_, chunks_, chunk);
    return c + share_bytes(c, n_, lane % n_);  // the chunk, and the GPU's reduced slice of it
  }

  void after(int lane, int chunk, std::vector<LaneRef>& out) const override {
    out.clear();
    if (lane < n_) return;
    for (int g = 0; g < n_; ++g) out.push_back({g, chunk});
  }

 private:
  int n_;
  int chunks_;
  Bytes bytes_;
};

}  // namespace

std::unique_ptr<LanePlan> nvls_plan(const PlanContext& ctx) { return std::make_unique<NvlsPlan>(ctx); }

}  // namespace trainsim::engine
