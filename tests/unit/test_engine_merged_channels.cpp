// Merged ring channels (CollectiveSpec::merge_channels): C channels that follow one ring order are
// C equal flows per hop in lockstep; where nothing else shares their links, one flow per hop with
// the C shares summed gets C times one channel's max-min share and so the same times. The check:
// every rank's done time identical (to 1e-12 relative: only the rounding of a rate times C may
// differ), with 1/C of the transfers.
#include <catch2/catch.hpp>

#include <sstream>

#include "child.hpp"
#include "sim/engine/collective.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/topo/platform.hpp"

using namespace trainsim;

namespace {

struct Outcome {
  std::vector<double> done;  // per rank, of every collective in turn
  long long transfers = 0;
};

// `count` all-reduces of `bytes` started together (their flows share the ring's links), C channels.
Outcome simulate(const Topology& topo, int channels, bool merge, Bytes bytes, int count) {
  const std::string out = test::run_in_child([&] {
    engine::Simulation sim(describe_platform(topo));
    std::vector<engine::CollectiveNodes> all;
    for (int i = 0; i < count; ++i) {
      engine::CollectiveSpec spec;
      spec.algorithm = Algorithm::ring;
      spec.bytes = bytes * (i + 1);
      spec.ranks = all_gpus(topo);
      spec.channels = channels;
      spec.merge_channels = merge;
      all.push_back(engine::build_collective(sim, topo, spec, {}, {}));
    }
    sim.run();
    std::ostringstream o;
    o.precision(17);
    long long transfers = 0;
    for (const auto& c : all) {
      transfers += c.transfers;
      for (const auto& d : c.done) o << d.finish_time() << " ";
    }
    return std::to_string(transfers) + " " + o.str();
  });
  if (out.rfind("EXCEPTION", 0) == 0) FAIL(out);
  std::istringstream in(out);
  Outcome r;
  in >> r.transfers;
  double t = 0;
  while (in >> t) r.done.push_back(t);
  return r;
}

Topology node(const std::string& name) { return Topology::build(io::load_node(name, io::default_catalog()), io::default_catalog()); }

void check_same(const Topology& topo, int channels, Bytes bytes, int count) {
  const Outcome split = simulate(topo, channels, false, bytes, count);
  const Outcome merged = simulate(topo, channels, true, bytes, count);
  REQUIRE(split.done.size() == merged.done.size());
  for (std::size_t i = 0; i < split.done.size(); ++i) {
    INFO("rank done " << i);
    CHECK(merged.done[i] > 0);
    CHECK(merged.done[i] == Approx(split.done[i]).epsilon(1e-12));
  }
  CHECK(merged.transfers * channels == split.transfers);
}

}  // namespace

TEST_CASE("merged channels: the same times with 1/C of the transfers on an NVSwitch") {
  // 8 GPUs, 16 channels, two all-reduces sharing every link; 16 x 8 divides the sizes.
  check_same(node("8x-h100-sxm-nvswitch"), 16, 3.0 * (1 << 24), 2);
}

TEST_CASE("merged channels: the same times on a PCIe ring through the host") {
  // 4x RTX 3090 without P2P: every hop crosses the host's links, where the hops of the ring share.
  check_same(node("4x-rtx3090-pcie"), 2, 1 << 26, 1);
  check_same(node("4x-rtx3090-pcie"), 4, 1 << 26, 3);
}

TEST_CASE("merged channels: sizes that do not split evenly over the channels stay split") {
  const Topology topo = node("4x-rtx3090-pcie");
  const Outcome split = simulate(topo, 2, false, (1 << 20) + 1, 1);
  const Outcome merged = simulate(topo, 2, true, (1 << 20) + 1, 1);
  CHECK(merged.transfers == split.transfers);
  CHECK(merged.done == split.done);
}
