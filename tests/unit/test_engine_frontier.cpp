// The task graph of Simulation: SimGrid sees an activity only once its predecessors have finished
// (docs/performance.md: SimGrid 3.32 searches a list of every created activity at each completion),
// and the graph behaves as SimGrid's own dependencies did.
#include <catch2/catch.hpp>

#include <sstream>

#include "child.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/topo/platform.hpp"

using namespace trainsim;

namespace {

// Two hosts of speed 1 joined by one link of 1 GB/s and 1 us.
PlatformDescription two_hosts() {
  PlatformDescription d;
  d.hosts = {{"a", VertexKind::gpu, 0, 1, 1.0}, {"b", VertexKind::gpu, 1, 1, 1.0}};
  d.gpu_hosts = {0, 1};
  d.storage_host = 2;
  d.links = {{"a--b", 0, 1e9, 1e-6, false}};
  d.routes = {{0, 1, {{0, true}}}, {1, 0, {{0, false}}}};
  return d;
}

}  // namespace

TEST_CASE("a chain built whole runs one activity at a time in SimGrid") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts());
    // 1,000 execs of 1 ms on host a, each after the previous, and a 0.5 MB transfer after each.
    std::vector<engine::Node> chain;
    engine::Node prev;
    for (int i = 0; i < 1000; ++i) {
      engine::Node e = sim.exec(0, 1e-3);
      prev.then(e);
      engine::Node c = sim.comm(0, 1, 5e5);
      e.then(c);
      sim.start(e);
      sim.start(c);
      chain.push_back(c);
      prev = e;
    }
    sim.run();
    std::ostringstream o;
    o.precision(17);
    o << sim.peak_running() << " " << sim.activities_completed() << " " << prev.finish_time() << " "
      << chain.back().finish_time();
    return o.str();
  });
  std::istringstream in(out);
  long long peak = 0, done = 0;
  double last_exec = 0, last_comm = 0;
  in >> peak >> done >> last_exec >> last_comm;
  CHECK(done == 2000);
  // An exec and the transfer after the previous exec (0.501 ms) overlap: never more than two at
  // once, where SimGrid would have held all 2,000 created.
  CHECK(peak == 2);
  CHECK(last_exec == Approx(1.0).epsilon(1e-12));                       // 1,000 x 1 ms
  CHECK(last_comm == Approx(1.0 + 1e-6 + 5e-4).epsilon(1e-12));         // then 1 us + 0.5 MB at 1 GB/s
}

TEST_CASE("a node with predecessors starts when the last finishes - one without waits for start()") {
  const std::string out = test::run_in_child([] {
    engine::Simulation sim(two_hosts());
    engine::Node a = sim.exec(0, 1.0);
    engine::Node b = sim.exec(1, 2.0);
    std::vector<std::string> order;
    engine::Node join = sim.marker(0, [&] { order.push_back("join"); });
    a.then(join);
    b.then(join);  // join is never started: its predecessors start it, as SimGrid did
    engine::Node idle = sim.exec(0, 1.0);  // never started, no predecessor: never runs
    sim.start(a);
    sim.start(b);
    engine::Node after = sim.exec(1, 1.0);
    a.then(after);
    sim.start(after);
    sim.run();
    std::ostringstream o;
    o << join.finished() << " " << join.finish_time() << " " << idle.finished() << " " << after.finish_time() << " "
      << order.size();
    return o.str();
  });
  // `after` starts on host b's one core at t = 1 (after a), when b has 1 s of its 2 s left: both
  // run at half speed and end at t = 3; join, after a (1 s) and b, ends at 3 too.
  CHECK(out == "1 3 0 3 1");
}
