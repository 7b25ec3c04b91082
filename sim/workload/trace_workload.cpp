#include "sim/workload/trace_workload.hpp"

#include <algorithm>
#include <numeric>

#include "sim/util/error.hpp"
#include "sim/workload/gpu_rates.hpp"

namespace trainsim {

namespace {

// PyTorch's SGD with momentum (foreach) reads parameter, gradient and momentum and writes the
// parameter and momentum: 5 fp32 streams per parameter, i.e. 5 bytes of traffic per gradient
// byte. Used only when the trace has neither NCCL sizes nor shapes.
constexpr double kOptimizerBytesPerGradByte = 5.0;

}  // namespace

std::size_t representative_step(const KernelTrace& t) {
  std::vector<std::size_t> idx(t.steps.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) {
    return t.steps[a].end - t.steps[a].start < t.steps[b].end - t.steps[b].start;
  });
  return idx.empty() ? 0 : idx[(idx.size() - 1) / 2];
}

ComputeProfile profile_from_trace(const KernelTrace& t, const GpuPair& g, int batch, Bytes input_bytes_per_sample) {
  if (batch < 1) throw InputError({t.file}, "batch_per_gpu", std::to_string(batch), "a batch of 1 or more");
  if (t.steps.empty()) throw InputError({t.file}, "traceEvents", "no iteration", "a trace with one iteration or more");
  const HostSpan step = t.steps[representative_step(t)];
  ComputeProfile p;
  p.model = "profile:" + t.file.substr(t.file.find_last_of('/') + 1);
  p.gpu = g.target.name;
  p.batch = batch;
  p.input_bytes_per_sample = input_bytes_per_sample;
  std::vector<LayerCost> forward, backward;
  std::vector<std::pair<Seconds, Bytes>> allreduces;  // start, bytes
  Seconds busy_until = step.start, optimizer_time_source = 0;
  for (const TraceKernel& k : t.kernels) {
    if (k.start < step.start || k.start >= step.end) continue;
    if (k.cls == KernelClass::nccl) {
      if (k.collective == "allreduce" && k.coll_bytes > 0) allreduces.emplace_back(k.start, k.coll_bytes);
      continue;
    }
    // Idle before it that the host caused: the launch came after the GPU ran dry, outside a DataLoader wait.
    Seconds host_gap = 0;
    if (k.launch >= busy_until && k.start > busy_until) {
      host_gap = k.start - busy_until;
      for (const auto& l : t.loader) host_gap -= std::max(0.0, std::min(k.start, l.end) - std::max(busy_until, l.start));
      host_gap = std::max(0.0, host_gap);
    }
    busy_until = std::max(busy_until, k.start + k.dur);
    if (k.copy == CopyKind::h2d) continue;  // the engine copies the batch itself
    const Seconds d = scale_kernel(k, g) + host_gap;
    if (k.optimizer) {
      p.optimizer_s += d;
      optimizer_time_source += k.dur;
      continue;
    }
    LayerCost l;
    l.name = k.name;
    l.kind = LayerKind::conv;
    l.kernels = 1;
    l.compute_bound = kernel_bound(k, g) == Bound::compute;
    if (k.backward) {
      l.backward = d;
      l.backward_flops = k.flops;
      backward.push_back(std::move(l));
    } else {
      l.forward = d;
      l.forward_flops = k.flops;
      forward.push_back(std::move(l));
    }
  }
  if (forward.empty() && backward.empty()) {
    throw InputError({t.file}, "traceEvents", "no compute kernel in the step", "a training step with forward kernels");
  }
  // Gradient buckets: each all-reduce's bytes on the last backward kernel that started before it.
  std::vector<Seconds> bstart;
  for (const TraceKernel& k : t.kernels) {
    if (k.start >= step.start && k.start < step.end && k.backward && k.cls != KernelClass::nccl && k.copy != CopyKind::h2d &&
        !k.optimizer) {
      bstart.push_back(k.start);
    }
  }
  Bytes total = 0;
  if (!allreduces.empty() && !backward.empty()) {
    for (const auto& [s, bytes] : allreduces) {
      const auto it = std::upper_bound(bstart.begin(), bstart.end(), s);
      const std::size_t i = it == bstart.begin() ? 0 : static_cast<std::size_t>(it - bstart.begin()) - 1;
      backward[std::min(i, backward.size() - 1)].grad_bytes += bytes;
      total += bytes;
    }
  } else {
    total = t.parameter_bytes > 0
                ? t.parameter_bytes
                : optimizer_time_source * achievable_bandwidth(g.source) / kOptimizerBytesPerGradByte;
    // Spread over the backward matmuls (the weight gradients) by their time.
    Seconds mm = 0;
    for (const auto& l : backward) mm += l.compute_bound ? l.backward : 0.0;
    for (auto& l : backward) {
      if (mm > 0 && l.compute_bound) l.grad_bytes = total * l.backward / mm;
    }
    if (mm <= 0 && !backward.empty()) backward.back().grad_bytes = total;
    if (backward.empty()) forward.back().grad_bytes = total;
  }
  p.gradient_bytes = total;
  p.memory.params = total;
  p.layers = std::move(forward);
  p.layers.insert(p.layers.end(), backward.rbegin(), backward.rend());
  p.memory_capacity = memory_capacity(g.target);
  return p;
}

}  // namespace trainsim
