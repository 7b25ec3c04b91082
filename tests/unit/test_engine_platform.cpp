// The SimGrid platform does not distort links: one flow on a link gets exactly its bandwidth, two
// share it, and a shared DRAM link crossed twice by one flow counts twice.
#include <catch2/catch.hpp>

#include <sstream>

#include "child.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/topo/platform.hpp"

using namespace trainsim;

namespace {

// Two hosts joined by one split-duplex link of 1 GB/s and 1 us.
PlatformDescription two_hosts(bool shared) {
  PlatformDescription d;
  d.hosts = {{"a", VertexKind::gpu, 0, 1, 1.0}, {"b", VertexKind::gpu, 1, 1, 1.0}};
  d.gpu_hosts = {0, 1};
  d.storage_host = 2;
  d.links = {{"a--b", 0, 1e9, 1e-6, shared}};
  d.routes = {{0, 1, {{0, true}}}, {1, 0, {{0, false}}}};
  return d;
}

}  // namespace

TEST_CASE("one flow on one link gets exactly its bandwidth") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts(false));
    // 1 GB at 1 GB/s plus 1 us latency: 1.000001 s
    auto c = sim.comm(0, 1, 1e9);
    sim.start(c);
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << c.finish_time();
    return o.str();
  });
  CHECK(std::stod(out) == Approx(1.000001).epsilon(1e-12));
}

TEST_CASE("two flows on one link get half each - opposite directions do not share") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts(false));
    auto c1 = sim.comm(0, 1, 1e9);
    auto c2 = sim.comm(0, 1, 1e9);
    auto back = sim.comm(1, 0, 1e9);
    for (auto* c : {&c1, &c2, &back}) sim.start(*c);
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << c1.finish_time() << " " << c2.finish_time() << " " << back.finish_time();
    return o.str();
  });
  std::istringstream in(out);
  double t1 = 0, t2 = 0, tb = 0;
  in >> t1 >> t2 >> tb;
  // each of two flows at 0.5 GB/s: 2 s + 1 us; the reverse flow has the other direction alone
  CHECK(t1 == Approx(2.000001).epsilon(1e-12));
  CHECK(t2 == Approx(2.000001).epsilon(1e-12));
  CHECK(tb == Approx(1.000001).epsilon(1e-12));
}

TEST_CASE("a shared link: both directions share one capacity") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts(true));
    auto c1 = sim.comm(0, 1, 1e9);
    auto c2 = sim.comm(1, 0, 1e9);
    sim.start(c1);
    sim.start(c2);
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << c1.finish_time() << " " << c2.finish_time();
    return o.str();
  });
  std::istringstream in(out);
  double t1 = 0, t2 = 0;
  in >> t1 >> t2;
  CHECK(t1 == Approx(2.000001).epsilon(1e-12));
  CHECK(t2 == Approx(2.000001).epsilon(1e-12));
}

TEST_CASE("staged GPU-to-GPU copies cross host memory twice") {
  // 2x RTX 3090 without P2P: GPU0 -> rc0 -> host0 DRAM -> rc0 -> GPU1. With the DRAM link made
  // the narrowest, one flow gets DRAM/2 (written once, read once).
  const std::string out = test::run_in_child([] {
    NodeSpec spec = io::load_node("2x-rtx3090-pcie", io::default_catalog());
    for (auto& l : spec.links) {
      if (l.kind == LinkKind::host_memory) l.gbps_per_direction = 10;  // 10 GB/s line, x0.7 efficiency = 7 GB/s
    }
    const Topology topo = Topology::build(spec, io::default_catalog());
    const PlatformDescription d = describe_platform(topo);
    engine::Simulation sim(d);
    auto c = sim.comm(d.gpu_hosts[0], d.gpu_hosts[1], 7e9);
    sim.start(c);
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << c.finish_time() << " " << topo.gpu_path(0, 1).route.latency_us;
    return o.str();
  });
  std::istringstream in(out);
  double t = 0, lat_us = 0;
  in >> t >> lat_us;
  // 7e9 bytes at 3.5 GB/s (= 7 GB/s effective DRAM / 2) = 2 s, plus the route's latency
  CHECK(t == Approx(2.0 + lat_us * 1e-6).epsilon(1e-9));
}

TEST_CASE("a second simulation in one process is refused") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts(false));
    try {
      engine::Simulation again(two_hosts(false));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  });
  CHECK(out.find("one SimGrid simulation per process") != std::string::npos);
}

TEST_CASE("a companion exec slows concurrent compute by 1 + priority") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts(false));
    auto companion = sim.companion(0, 0.25);
    auto x = sim.exec(0, 2.0, {}, [&] { sim.stop_companions(); });
    sim.start(x);
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << x.finish_time();
    return o.str();
  });
  CHECK(std::stod(out) == Approx(2.5).epsilon(1e-12));
}
