#include "sim/hw/gpu.hpp"

namespace trainsim {

double pcie_gbps_per_direction(int gen, int lanes) {
  double gt_per_s = 0;    // giga-transfers per second per lane
  double coding = 1.0;    // payload bits per transferred bit
  switch (gen) {
    case 1: gt_per_s = 2.5; coding = 8.0 / 10.0; break;
    case 2: gt_per_s = 5.0; coding = 8.0 / 10.0; break;
    case 3: gt_per_s = 8.0; coding = 128.0 / 130.0; break;
    case 4: gt_per_s = 16.0; coding = 128.0 / 130.0; break;
    case 5: gt_per_s = 32.0; coding = 128.0 / 130.0; break;
    case 6: gt_per_s = 64.0; coding = 242.0 / 256.0; break;
    default: return 0.0;
  }
  return gt_per_s * coding * lanes / 8.0;  // bits -> bytes
}

}  // namespace trainsim
