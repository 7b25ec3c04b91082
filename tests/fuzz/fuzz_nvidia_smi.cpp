// Fuzzes the `nvidia-smi topo -m` parser and the topology it builds, for an NVLink GPU (H100) and
// a GeForce one (RTX 3090) chosen by the first byte.
#include "fuzz_common.hpp"
#include "sim/import/nvidia_smi.hpp"
#include "sim/topo/ring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace trainsim;
  if (size == 0) return 0;
  const char* gpu = (data[0] & 1) != 0 ? "h100-sxm5-80gb" : "rtx3090";
  return fuzz::run(data + 1, size - 1, [gpu](const std::string& text) {
    const NodeSpec spec = io::parse_nvidia_smi_topo(text, "fuzz.txt", gpu, fuzz::catalog());
    const Topology topo = Topology::build(spec, fuzz::catalog());
    (void)best_ring(topo);
  });
}
