// Collectives on SimGrid against the alpha-beta formulas of sim/model. Where nothing contends the
// simulated time must equal the formula to 1e-6 relative; each expected value is also worked out
// from the node's figures by hand (gpus.yaml: NVLink 450 GB/s per direction on H100 SXM,
// protocol efficiency 0.82 for NVLink4, 0.6 us per NVLink/NVSwitch hop).
#include <catch2/catch.hpp>

#include <sstream>

#include "child.hpp"
#include "sim/engine/collective.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/import/nvidia_smi.hpp"
#include "sim/input/yaml.hpp"
#include "sim/model/collectives.hpp"
#include "sim/topo/platform.hpp"

using namespace trainsim;

namespace {

Topology compact(const std::string& gpu, int count, Interconnect ic) {
  CompactNodeSpec c;
  c.gpu = gpu;
  c.count = count;
  c.interconnect = ic;
  return Topology::build(expand(c, io::default_catalog(), "test"), io::default_catalog());
}

// Runs one collective on a fresh simulation (in a child process) and returns the time at which
// its last rank is done.
double simulate(const Topology& topo, engine::CollectiveSpec spec) {
  const std::string out = test::run_in_child([&] {
    engine::Simulation sim(describe_platform(topo));
    if (spec.ranks.empty()) spec.ranks = all_gpus(topo);
    double last = 0;
    const auto nodes = engine::build_collective(sim, topo, spec, {}, {}, [&](int) { last = engine::Simulation::now(); });
    sim.run();
    for (const auto& d : nodes.done) {
      if (!d.finished()) return std::string("EXCEPTION: a rank never finished");
    }
    std::ostringstream o;
    o.precision(17);
    o << last;
    return o.str();
  });
  if (out.rfind("EXCEPTION", 0) == 0) FAIL(out);
  return std::stod(out);
}

engine::CollectiveSpec spec_of(CollOp op, Algorithm a, Bytes bytes) {
  engine::CollectiveSpec s;
  s.op = op;
  s.algorithm = a;
  s.bytes = bytes;
  return s;
}

// 192 MiB: divisible by n x channels x chunks for every case below, so that no transfer rounds.
constexpr Bytes kS = 3.0 * (1 << 26);
constexpr double kH100Bw = 450e9 * 0.82;  // effective bytes/s of an H100 SXM NVLink (all 18 links; NVLink4 0.82)
constexpr double kHop = 0.6e-6;           // one NVLink or NVSwitch hop

}  // namespace

TEST_CASE("ring all-reduce on an NVSwitch equals 2(n-1)(alpha + S/(n bw))") {
  for (const int n : {2, 3, 4, 8}) {
    const Topology topo = compact("h100-sxm5-80gb", n, Interconnect::nvswitch);
    // GPU -> switch -> GPU: alpha = 2 hops; one flow per GPU link and direction: bw = 360 GB/s
    const double expected = ring_allreduce_time(n, kS, 2 * kHop, kH100Bw);
    const double t = simulate(topo, spec_of(CollOp::all_reduce, Algorithm::ring, kS));
    INFO("n = " << n);
    CHECK(t == Approx(expected).epsilon(1e-6));
    CHECK(predict_time(topo, CollOp::all_reduce, Algorithm::ring, kS, all_gpus(topo)) == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("ring reduce-scatter and all-gather equal (n-1)(alpha + S/(n bw))") {
  for (const int n : {3, 8}) {
    const Topology topo = compact("h100-sxm5-80gb", n, Interconnect::nvswitch);
    const double expected = ring_reduce_scatter_time(n, kS, 2 * kHop, kH100Bw);
    INFO("n = " << n);
    CHECK(simulate(topo, spec_of(CollOp::reduce_scatter, Algorithm::ring, kS)) == Approx(expected).epsilon(1e-6));
    CHECK(simulate(topo, spec_of(CollOp::all_gather, Algorithm::ring, kS)) == Approx(expected).epsilon(1e-6));
  }
}

TEST_CASE("ring all-reduce over a full NVLink mesh uses the pair links") {
  // 4x H100 mesh: 18 links / 3 peers = 6 links of 25 GB/s per pair = 150 GB/s x 0.82 = 123 GB/s; 1 hop
  const Topology topo = compact("h100-sxm5-80gb", 4, Interconnect::nvlink_mesh);
  const double expected = ring_allreduce_time(4, kS, kHop, 123e9);
  CHECK(simulate(topo, spec_of(CollOp::all_reduce, Algorithm::ring, kS)) == Approx(expected).epsilon(1e-6));
}

TEST_CASE("single-tree all-reduce over a full mesh equals (2H + k - 1)(alpha + S/(k bw))") {
  // In a mesh every tree edge is its own split-duplex link: nothing contends.
  for (const int n : {2, 3, 4, 8}) {
    const Topology topo = compact("h100-sxm5-80gb", n, Interconnect::nvlink_mesh);
    const int links_per_peer = 18 / (n - 1);
    const double pair_bw = 25e9 * links_per_peer * 0.82;
    // NCCL's binary tree depth: 1 for 2 ranks, 2 for 3 and 4 (0 -> 2 -> 1, 3), 3 for 8 (0 -> 4 -> 2 -> 1)
    const int height = n == 2 ? 1 : n <= 4 ? 2 : 3;
    const int chunks = 256;  // 192 MiB in 512 KiB chunks is 384, capped at 256
    const double expected = tree_allreduce_time(height, kS, chunks, kHop, pair_bw);
    auto spec = spec_of(CollOp::all_reduce, Algorithm::tree, kS);
    spec.single_tree = true;
    INFO("n = " << n);
    CHECK(simulate(topo, spec) == Approx(expected).epsilon(1e-6));
    CHECK(CollectivePlanner(topo).predict_time(CollOp::all_reduce, Algorithm::tree, kS, all_gpus(topo), 0, true) ==
          Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("direct one-shot all-reduce equals alpha + (n-1) S / bw_gpu") {
  for (const int n : {2, 3, 4, 8}) {
    // Through the switch: n-1 flows share each GPU link in each direction.
    const Topology sw = compact("h100-sxm5-80gb", n, Interconnect::nvswitch);
    const double expected = direct_allreduce_time(n, kS, 2 * kHop, kH100Bw);
    INFO("n = " << n);
    CHECK(simulate(sw, spec_of(CollOp::all_reduce, Algorithm::direct, kS)) == Approx(expected).epsilon(1e-6));
    CHECK(predict_time(sw, CollOp::all_reduce, Algorithm::direct, kS, all_gpus(sw)) == Approx(expected).epsilon(1e-12));
  }
  // Over a 4-GPU mesh each flow has its own pair link: alpha + S / 123 GB/s
  const Topology mesh = compact("h100-sxm5-80gb", 4, Interconnect::nvlink_mesh);
  CHECK(simulate(mesh, spec_of(CollOp::all_reduce, Algorithm::direct, kS)) == Approx(kHop + kS / 123e9).epsilon(1e-6));
}

TEST_CASE("NVLS all-reduce equals (k+1)(alpha + S(n+1)/(n k bw)) at the NVLS efficiency") {
  for (const int n : {2, 3, 4, 8}) {
    const Topology topo = compact("h100-sxm5-80gb", n, Interconnect::nvswitch);
    REQUIRE(topo.nvls_efficiency() == Approx(0.85));
    // one hop to the switch (and the NVLS port's 1 ns); 360 GB/s x 0.85 (NCCL's Hopper
    // nvlsEfficiency); 192 MiB -> 256 chunks
    const double expected = nvls_allreduce_time(n, kS, 256, kHop + kNvlsPortLatencyS, kH100Bw * 0.85);
    INFO("n = " << n);
    CHECK(simulate(topo, spec_of(CollOp::all_reduce, Algorithm::nvls, kS)) == Approx(expected).epsilon(1e-6));
    CHECK(predict_time(topo, CollOp::all_reduce, Algorithm::nvls, kS, all_gpus(topo)) == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("pipelined broadcast equals (n-2+k)(alpha + S/(k bw))") {
  for (const int n : {2, 4, 8}) {
    const Topology topo = compact("h100-sxm5-80gb", n, Interconnect::nvswitch);
    auto spec = spec_of(CollOp::broadcast, Algorithm::ring, kS);
    spec.root = n - 1;
    INFO("n = " << n);
    CHECK(simulate(topo, spec) == Approx(ring_broadcast_time(n, kS, 256, 2 * kHop, kH100Bw)).epsilon(1e-6));
  }
}

TEST_CASE("the staged ring of 4x RTX 3090 on PCIe is limited by host memory") {
  // No P2P: each ring hop goes GPU -> rc0 -> DRAM -> rc0 -> GPU. Four hops cross the shared DRAM
  // link twice each: 204.8 GB/s x 0.7 / 8 = 17.92 GB/s per hop, below PCIe 4.0 x16's 31.5 x 0.8.
  const Topology topo = Topology::build(io::load_node("4x-rtx3090-pcie", io::default_catalog()), io::default_catalog());
  const Ring ring = best_ring(topo);
  REQUIRE(ring.effective_gbps == Approx(204.8 * 0.7 / 8).epsilon(1e-12));
  // alpha: PCIe 1 us + DRAM 0.1 us, twice
  const double expected = ring_allreduce_time(4, kS, 2.2e-6, ring.effective_gbps * 1e9);
  CHECK(simulate(topo, spec_of(CollOp::all_reduce, Algorithm::ring, kS)) == Approx(expected).epsilon(1e-6));
}

TEST_CASE("on NVLink pairs bridged over staged PCIe, the slowest hop sets the ring's pace") {
  // 0-1 and 2-3 bridged (NVLink3 56.25 x 0.73 = 41.1 GB/s); 1->2 and 3->0 staged through DRAM: PCIe 25.2 GB/s
  // is their narrowest (DRAM 143.36 GB/s is crossed 4 times: 35.84 each).
  const Topology topo =
      Topology::build(io::load_node("4x-rtx3090-nvlink-pairs", io::default_catalog()), io::default_catalog());
  const Ring ring = best_ring(topo);
  REQUIRE(ring.effective_gbps == Approx(31.5077 * 0.8).epsilon(1e-4));
  const double t = simulate(topo, spec_of(CollOp::all_reduce, Algorithm::ring, kS));
  const double slow_steps = 2 * 3 * (kS / 4) / (ring.effective_gbps * 1e9);
  // Paced by the slow hops: 6 slow steps, plus at most a little latency and one fast step of fill.
  CHECK(t >= slow_steps);
  CHECK(t <= slow_steps * 1.01 + (kS / 4) / (56.25e9 * 0.73));
  // and much faster than the same node without its bridges (17.92 GB/s per hop)
  CHECK(t < 2 * 3 * (kS / 4) / 17.92e9);
}

TEST_CASE("two collectives at once on a shared PCIe uplink share it") {
  // gpu0, gpu1 behind pcisw0; gpu2, gpu3 behind pcisw1; each switch has one x16 uplink to rc0.
  // All-reduce A on {gpu0, gpu2} and B on {gpu1, gpu3} both cross both uplinks.
  NodeSpec spec;
  spec.name = "shared-uplink";
  spec.p2p = true;
  const auto v = [](std::string name, VertexKind k) {
    VertexSpec s;
    s.name = std::move(name);
    s.kind = k;
    return s;
  };
  auto host = v("host0", VertexKind::host);
  host.cores = 8;
  spec.vertices = {host, v("rc0", VertexKind::root_complex), v("pcisw0", VertexKind::pcie_switch),
                   v("pcisw1", VertexKind::pcie_switch)};
  for (int i = 0; i < 4; ++i) {
    auto g = v("gpu" + std::to_string(i), VertexKind::gpu);
    g.gpu = "h100-pcie-80gb";
    spec.vertices.push_back(g);
  }
  const auto link = [](std::string a, std::string b, LinkKind k, double gbps_dir) {
    LinkSpec l;
    l.a = std::move(a);
    l.b = std::move(b);
    l.kind = k;
    l.gbps_per_direction = gbps_dir;
    return l;
  };
  auto dram = link("rc0", "host0", LinkKind::host_memory, 400);
  dram.shared = true;
  spec.links = {dram, link("pcisw0", "rc0", LinkKind::pcie, 50), link("pcisw1", "rc0", LinkKind::pcie, 50)};
  for (int i = 0; i < 4; ++i) spec.links.push_back(link("gpu" + std::to_string(i), i < 2 ? "pcisw0" : "pcisw1", LinkKind::pcie, 50));
  const Topology topo = Topology::build(spec, io::default_catalog());

  // Each route: gpu -> pcisw -> rc0 -> pcisw -> gpu, 4 PCIe hops of 1 us; uplinks 50 x 0.8 = 40 GB/s.
  const double alone = ring_allreduce_time(2, kS, 4e-6, 40e9);
  const double shared = ring_allreduce_time(2, kS, 4e-6, 20e9);
  const std::string out = test::run_in_child([&] {
    engine::Simulation sim(describe_platform(topo));
    double a_done = 0, b_done = 0;
    auto a = spec_of(CollOp::all_reduce, Algorithm::ring, kS);
    a.ranks = {0, 2};
    auto b = a;
    b.ranks = {1, 3};
    (void)engine::build_collective(sim, topo, a, {}, {}, [&](int) { a_done = engine::Simulation::now(); });
    (void)engine::build_collective(sim, topo, b, {}, {}, [&](int) { b_done = engine::Simulation::now(); });
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << a_done << " " << b_done;
    return o.str();
  });
  std::istringstream in(out);
  double ta = 0, tb = 0;
  in >> ta >> tb;
  CHECK(ta == Approx(shared).epsilon(1e-6));
  CHECK(tb == Approx(shared).epsilon(1e-6));
  // and alone, A gets the whole uplink
  auto a = spec_of(CollOp::all_reduce, Algorithm::ring, kS);
  a.ranks = {0, 2};
  CHECK(simulate(topo, a) == Approx(alone).epsilon(1e-6));
}

TEST_CASE("ready nodes gate a collective - every transfer is recorded with its link and bytes") {
  const Topology topo = compact("h100-sxm5-80gb", 4, Interconnect::nvswitch);
  const std::string out = test::run_in_child([&] {
    struct Count final : Recorder {
      int events = 0;
      double bytes = 0;
      bool kinds_ok = true, links_ok = true;
      const Topology* topo = nullptr;
      void record(const Event& e) override {
        if (e.kind == EventKind::other) return;  // the ready exec
        ++events;
        bytes += e.bytes;
        kinds_ok = kinds_ok && e.kind == EventKind::allreduce && e.bucket == 7 && e.iteration == 3;
        // the first link of a GPU-to-GPU route through the switch is the sender's own link
        const TopoLink& l = topo->links().at(static_cast<std::size_t>(e.link));
        links_ok = links_ok && l.a == "gpu" + std::to_string(e.rank) && l.b == "nvswitch0";
      }
    } rec;
    rec.topo = &topo;
    engine::Simulation sim(describe_platform(topo));
    sim.set_recorder(&rec);
    // rank 2 becomes ready after 1 ms of compute; the others at once
    std::vector<engine::Node> ready(4);
    ready[2] = sim.exec(sim.platform().gpu_hosts[2], 1e-3);
    sim.start(ready[2]);
    auto spec = spec_of(CollOp::all_reduce, Algorithm::ring, kS);
    spec.ranks = all_gpus(topo);
    Event tag;
    tag.bucket = 7;
    tag.iteration = 3;
    double last = 0;
    int done_count = 0;
    const auto nodes = engine::build_collective(sim, topo, spec, ready, tag, [&](int) {
      ++done_count;
      last = engine::Simulation::now();
    });
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << last << " " << rec.events << " " << nodes.transfers << " " << rec.bytes << " " << rec.kinds_ok << " "
      << rec.links_ok << " " << done_count << " " << static_cast<int>(nodes.algorithm);
    return o.str();
  });
  std::istringstream in(out);
  double last = 0, bytes = 0;
  int events = 0, transfers = 0, kinds_ok = 0, links_ok = 0, done_count = 0, algo = -1;
  in >> last >> events >> transfers >> bytes >> kinds_ok >> links_ok >> done_count >> algo;
  // ring steps start in lockstep once rank 2 is ready: 1 ms + the formula
  CHECK(last == Approx(1e-3 + ring_allreduce_time(4, kS, 2 * kHop, kH100Bw)).epsilon(1e-6));
  // 4 ranks x 16 channels (NV18, at most 16) x 6 steps
  CHECK(transfers == 4 * 16 * 6);
  CHECK(events == transfers);
  // every rank sends S/n in each of the 2(n-1) steps: 2(n-1) S in all
  CHECK(bytes == Approx(6 * kS));
  CHECK(kinds_ok == 1);
  CHECK(links_ok == 1);
  CHECK(done_count == 4);
  CHECK(algo == static_cast<int>(Algorithm::ring));
}

TEST_CASE("auto picks what the formulas predict fastest") {
  const Topology h100 = compact("h100-sxm5-80gb", 8, Interconnect::nvswitch);
  const auto all = all_gpus(h100);
  // 8 bytes: one step of direct beats 14 ring steps; 8 GiB: NVLS moves (n+1)/n S per direction
  // at 306 GB/s against the ring's 2(n-1)/n S at 360 GB/s
  CHECK(choose_algorithm(h100, CollOp::all_reduce, 8, all) == Algorithm::direct);
  CHECK(choose_algorithm(h100, CollOp::all_reduce, 8.0 * (1 << 30), all) == Algorithm::nvls);
  CHECK(choose_algorithm(h100, CollOp::all_gather, 8.0 * (1 << 30), all) == Algorithm::ring);
  // A100 has no NVLS: the ring wins large buffers
  const Topology a100 = compact("a100-sxm4-80gb", 8, Interconnect::nvswitch);
  CHECK(choose_algorithm(a100, CollOp::all_reduce, 8.0 * (1 << 30), all) == Algorithm::ring);
  CHECK_FALSE(CollectivePlanner(a100).available(CollOp::all_reduce, Algorithm::nvls, all));
  // PCIe without P2P: no direct; the tree's fewer steps win tiny buffers, the ring large ones
  const Topology pcie = Topology::build(io::load_node("4x-rtx3090-pcie", io::default_catalog()), io::default_catalog());
  const auto four = all_gpus(pcie);
  CHECK_FALSE(CollectivePlanner(pcie).available(CollOp::all_reduce, Algorithm::direct, four));
  CHECK(choose_algorithm(pcie, CollOp::all_reduce, 8, four) == Algorithm::tree);
  CHECK(choose_algorithm(pcie, CollOp::all_reduce, 1.0 * (1 << 30), four) == Algorithm::ring);
}

TEST_CASE("a node without storage keeps its NVSwitch host apart from the storage index") {
  // nvidia-smi nodes have no storage vertex; the switch host must not be taken for one.
  const std::string file = std::string(TRAINSIM_SOURCE_DIR) + "/tests/data/nvidia-smi/8x-h100-sxm-nvswitch.txt";
  const NodeSpec spec = io::parse_nvidia_smi_topo(io::read_text_file(file), file, "h100-sxm5-80gb", io::default_catalog());
  const Topology topo = Topology::build(spec, io::default_catalog());
  const PlatformDescription d = describe_platform(topo);
  CHECK(d.storage_host == d.hosts.size());
  REQUIRE(d.switch_hosts.size() == 1);
  CHECK(d.hosts[d.switch_hosts[0]].kind == VertexKind::nvswitch);
  // and NVLS runs there at the formula's pace
  const double expected = nvls_allreduce_time(8, kS, 256, kHop + kNvlsPortLatencyS, kH100Bw * 0.85);
  CHECK(simulate(topo, spec_of(CollOp::all_reduce, Algorithm::nvls, kS)) == Approx(expected).epsilon(1e-6));
}
