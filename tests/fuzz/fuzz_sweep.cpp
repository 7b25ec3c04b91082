// Fuzzes the sweep loader and the preparation of a sweep before anything runs: the file (base,
// axes, points, key paths, overlaps, the point limit), the expansion of the grid, and each point's
// scenario (resolve_points), or each point's campaign when the base is one (planned as `trainsim
// campaign` plans it). Nothing here starts SimGrid.
#include "fuzz_common.hpp"
#include "sim/input/sweep_io.hpp"
#include "sim/sweep/expand.hpp"

namespace {

// Resolving a point parses a whole scenario: a legal sweep of 10,000 points takes seconds, which is
// its cost, not a finding. Bigger sweeps are loaded and checked, and only their first points are
// resolved.
constexpr std::size_t kMaxResolvedPoints = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& text) {
    const Catalog& catalog = fuzz::catalog();
    // Named inside the repository's scenarios/: `base: hrnet-w44-4x3090-pcie.yaml` resolves as for
    // scenarios/sweep-interconnect.yaml.
    const io::SweepFile f = io::parse_sweep(text, fuzz::scenarios_file("fuzz-sweep.yaml"));
    if (f.campaign) {
      sweep::check_campaign_base(f, catalog);
    } else {
      (void)sweep::resolve_base(f, catalog);
    }
    std::vector<sweep::SweepPoint> points = sweep::expand(f);
    (void)sweep::axis_columns(f);
    if (points.size() > kMaxResolvedPoints) points.resize(kMaxResolvedPoints);
    if (f.campaign) {
      (void)sweep::resolve_campaign_points(f, points, catalog);
    } else {
      (void)sweep::resolve_points(f, points, catalog);
    }
  });
}
