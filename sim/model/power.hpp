// Power draw of a node while it trains, from how busy each GPU is. A GPU with a CUDA context draws
// its idle power, and its kernels add up to (TDP - idle) while they run:
//   P(u) = idle + u x (TDP - idle),   u = busy seconds / run seconds, 0 <= u <= 1
// so over a run of T seconds in which the GPU's kernels ran for B seconds:
//   E = P(B / T) x T = idle x T + B x (TDP - idle)
// The host (CPU sockets, DRAM, board, fans) draws a fixed figure while the node is in use:
//   P_host = cores x W per core + sockets x W per socket
#pragma once

#include "sim/hw/units.hpp"

namespace trainsim {

using Joules = double;

inline constexpr double kJoulesPerKwh = 3.6e6;

// Throws InputError unless 0 <= idle <= TDP and 0 <= utilisation <= 1.
[[nodiscard]] Watts gpu_power_w(Watts idle, Watts tdp, double utilisation);

// One GPU over a run of `run_s` in which its kernels were busy `busy_s` (busy_s <= run_s).
[[nodiscard]] Joules gpu_energy_j(Watts idle, Watts tdp, Seconds busy_s, Seconds run_s);

[[nodiscard]] Watts host_power_w(int cores, int sockets, Watts per_core, Watts per_socket);

}  // namespace trainsim
