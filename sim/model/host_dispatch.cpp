#include "sim/model/host_dispatch.hpp"

#include <algorithm>

namespace trainsim {

Seconds eager_dispatch_per_op() noexcept { return microseconds(10.0); }

double host_bound_stretch(Seconds device, Seconds host) noexcept {
  if (device <= 0) return 1.0;
  return std::max(1.0, host / device);
}

}  // namespace trainsim
