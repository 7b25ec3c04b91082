// The host side of eager-mode training: Python and the framework's dispatcher spend a roughly
// fixed CPU time on every operator before its kernels are queued. The GPU runs the queue
// asynchronously, so a phase (forward or backward) takes
//   T_phase = max(sum of kernel times, n_ops x t_dispatch)
// The queue is deep (thousands of launches), so short and long operators average out over the
// phase. A phase whose host time exceeds its kernel time is host bound: a faster GPU does not
// shorten it. That is what small batches of many-layered models (HRNet) hit on H100-class GPUs.
#pragma once

#include "sim/hw/units.hpp"

namespace trainsim {

// CPU time per operator in PyTorch eager mode (Python module call, dispatcher, autocast,
// autograd bookkeeping, cudaLaunchKernel): ~10 us, the figure PyTorch's CUDA Graphs material
// quotes for per-kernel launch overhead.
[[nodiscard]] Seconds eager_dispatch_per_op() noexcept;

// The factor by which a phase's kernel times stretch so that they sum to T_phase:
//   max(1, host / device)  (1 when there is no device time to stretch).
[[nodiscard]] double host_bound_stretch(Seconds device, Seconds host) noexcept;

}  // namespace trainsim
