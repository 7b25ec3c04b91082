// The SimGrid XML that `trainsim topo --simgrid-xml` writes loads in SimGrid 3.32, and its routes
// between every pair of GPUs are the topology's.
#include <catch2/catch.hpp>
#include <simgrid/s4u.hpp>

#include <cstdio>
#include <sstream>

#include "child.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/yaml.hpp"
#include "sim/topo/platform.hpp"

using namespace trainsim;
namespace sg4 = simgrid::s4u;

namespace {

// One line per ordered GPU pair: "src dst link1 link2 ..." with SimGrid's link names.
std::string routes_from_simgrid(const std::string& xml_file, int gpus) {
  return test::run_in_child([&] {
    int argc = 2;
    char name[] = "test";
    char log[] = "--log=root.thres:critical";
    char* argv[] = {name, log, nullptr};
    sg4::Engine e(&argc, argv);
    e.load_platform(xml_file);
    std::ostringstream out;
    for (int a = 0; a < gpus; ++a) {
      for (int b = 0; b < gpus; ++b) {
        if (a == b) continue;
        auto* src = e.host_by_name("gpu" + std::to_string(a));
        auto* dst = e.host_by_name("gpu" + std::to_string(b));
        std::vector<sg4::Link*> links;
        double latency = 0;
        src->route_to(dst, links, &latency);
        out << a << " " << b;
        for (auto* l : links) out << " " << l->get_name();
        out << "\n";
      }
    }
    return out.str();
  });
}

std::string routes_from_description(const Topology& topo) {
  const PlatformDescription d = describe_platform(topo);
  std::ostringstream out;
  for (int a = 0; a < topo.gpu_count(); ++a) {
    for (int b = 0; b < topo.gpu_count(); ++b) {
      if (a == b) continue;
      out << a << " " << b;
      const auto* r = d.route(d.gpu_hosts[static_cast<std::size_t>(a)], d.gpu_hosts[static_cast<std::size_t>(b)]);
      for (const Hop& h : r->hops) {
        const auto& l = d.links[h.link];
        // SimGrid names the two halves of a split-duplex link NAME_UP and NAME_DOWN.
        out << " " << l.name << (l.shared ? "" : (h.forward ? "_UP" : "_DOWN"));
      }
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace

TEST_CASE("the SimGrid XML of every preset loads and routes GPU pairs as the topology does") {
  for (const std::string preset : {"4x-rtx3090-pcie", "4x-rtx3090-nvlink-pairs", "4x-h100-sxm-nvlink-mesh",
                                   "8x-h100-sxm-nvswitch", "4x-a100-pcie-nvlink-pairs"}) {
    INFO(preset);
    const Topology topo = Topology::build(io::load_node(preset, io::default_catalog()), io::default_catalog());
    const std::string file = "/tmp/trainsim-test-" + preset + "-" + std::to_string(::getpid()) + ".xml";
    io::write_text_file_atomic(file, to_simgrid_xml(topo));
    const std::string got = routes_from_simgrid(file, topo.gpu_count());
    std::remove(file.c_str());
    CHECK(got == routes_from_description(topo));
  }
}
