// Fuzzes the node-file loader (compact and full form, and clusters), the topology checks, routes and the ring.
#include "fuzz_common.hpp"
#include "sim/input/node_io.hpp"
#include "sim/topo/platform.hpp"
#include "sim/topo/ring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  return fuzz::run(data, size, [](const std::string& text) {
    const NodeSpec spec = io::parse_node(io::YNode::parse(text, "fuzz.yaml"), fuzz::catalog(), "fuzz");
    const Topology topo = Topology::build(spec, fuzz::catalog());
    (void)best_ring(topo);
    (void)to_simgrid_xml(topo);
  });
}
