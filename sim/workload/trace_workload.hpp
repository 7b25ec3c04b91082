// A profiled iteration as a workload (`workload: {profile: FILE}`): the compute of one measured
// step, each kernel scaled to the node's GPU, as the layers the engine replays. docs/profiles.md.
#pragma once

#include "sim/workload/compute_profile.hpp"
#include "sim/workload/trace_predict.hpp"

namespace trainsim {

// The step with the median duration (the first of two middle ones): warm-up steps are slow.
[[nodiscard]] std::size_t representative_step(const KernelTrace& t);

// Kernels of the representative step in stream order, NCCL and host-to-device copies left out
// (the engine re-simulates the all-reduce and the input copy). Forward kernels become layers with
// a forward time, backward kernels layers with a backward time (stored in reverse, so that the
// backward pass replays them in stream order), optimizer kernels the optimizer step. The GPU
// idle time the host caused (launch-bound, not loader) stays in front of the kernel it delayed.
// Gradient bytes come from the NCCL all-reduce sizes, each bucket on the backward kernel it
// followed; else from the layers' parameters (Input Dims); else from the optimizer's time.
// Throws InputError when the step has no compute kernel or batch < 1.
[[nodiscard]] ComputeProfile profile_from_trace(const KernelTrace& t, const GpuPair& g, int batch,
                                                Bytes input_bytes_per_sample);

}  // namespace trainsim
