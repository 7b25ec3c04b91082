#include "sim/model/power.hpp"

#include <algorithm>
#include <cmath>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace trainsim {

Watts gpu_power_w(Watts idle, Watts tdp, double utilisation) {
  if (!(idle >= 0) || !(tdp >= idle) || !std::isfinite(tdp)) {
    throw InputError({}, "idle_w", format_double(idle), "0 <= idle_w <= tdp_w (" + format_double(tdp) + " W)");
  }
  if (!(utilisation >= 0) || !(utilisation <= 1)) {
    throw InputError({}, "utilisation", format_double(utilisation), "a fraction of the run from 0 to 1");
  }
  return idle + utilisation * (tdp - idle);
}

Joules gpu_energy_j(Watts idle, Watts tdp, Seconds busy_s, Seconds run_s) {
  if (!(run_s > 0) || !std::isfinite(run_s)) {
    throw InputError({}, "run_s", format_double(run_s), "a run length > 0 seconds");
  }
  // Kernel time lies inside the run; the clamp only absorbs rounding.
  const double u = std::clamp(busy_s / run_s, 0.0, 1.0);
  return gpu_power_w(idle, tdp, u) * run_s;
}

Watts host_power_w(int cores, int sockets, Watts per_core, Watts per_socket) {
  if (cores < 0 || sockets < 0 || !(per_core >= 0) || !(per_socket >= 0)) {
    throw InputError({}, "host power", std::to_string(cores) + " cores, " + std::to_string(sockets) + " sockets",
                     "non-negative counts and watts");
  }
  return cores * per_core + sockets * per_socket;
}

}  // namespace trainsim
