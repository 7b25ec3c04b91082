#include "sim/workload/compute_profile.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/host_dispatch.hpp"
#include "sim/model/roofline.hpp"
#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/layer_kernels.hpp"

namespace trainsim {

namespace {

// PyTorch's default (foreach) optimizers launch a few multi-tensor kernels per step, each over
// chunks of about 110 parameter tensors.
constexpr double kTensorsPerForeachLaunch = 110.0;
// Foreach kernels per step (training_memory.hpp lists them): SGD momentum with weight decay 4,
// AdamW 8, and the GradScaler's unscale-and-check under mixed precision 1.
int foreach_ops(Optimizer o, Precision p) { return (o == Optimizer::sgd ? 4 : 8) + (mixed(p) ? 1 : 0); }

double parameter_tensors(const ModelGraph& g) {
  double n = 0;
  for (const auto& l : g.layers) {
    if (is_matmul(l) && l.kind != LayerKind::bmm) n += l.bias ? 2 : 1;
    if (l.extra_params > 0) n += 1;
    if (l.kind == LayerKind::batchnorm) n += 2;
  }
  return n;
}

// Per sample at the memory peak. Autograd frees a saved tensor once the backward of the earliest
// layer that saved it has run, and backward runs in reverse, so while layer i runs (forward or
// backward) the tensors saved by layers 0..i are alive, together with that layer's inputs and
// output (or their gradients). The peak is the largest of these over the layers: the saved
// activations alive then, at the activation width (plus int64 max-pool indices), and the tensors
// in flight. The input batch (the fp32 image and training targets) stays for the whole iteration.
MemoryInputs memory_inputs(const ModelGraph& g, Precision p) {
  const double e = activation_bytes(p);
  Bytes saved = 0, peak_saved = 0, peak_transient = 0;
  for (const auto& l : g.layers) {
    saved += l.saved_elements * e + l.saved_extra_bytes;
    const Bytes transient = (l.in_elements + l.out.elements()) * e;
    if (saved + transient > peak_saved + peak_transient) {
      peak_saved = saved;
      peak_transient = transient;
    }
  }
  return MemoryInputs{g.params(), peak_saved + g.input_bytes_per_sample, peak_transient};
}

RooflineParams roofline_params(const GpuSpec& gpu, const ComputeGeneration& gen, Precision p) {
  const DataType t = matmul_type(p);
  RooflineParams r;
  r.peak = tflops(*gpu.dense_tflops_of(t));
  r.compute_efficiency = matmul_efficiency(gpu, gen, t);
  r.bandwidth = gbps(eager_bandwidth_gbps(gpu));
  r.memory_efficiency = 1.0;  // eager_bandwidth_gbps is already what the kernels reach
  r.launch = microseconds(gen.launch_overhead_us);
  r.sm_count = gpu.sm_count;
  r.blocks_per_sm = 1;  // 128 x 128 tiles with multi-stage pipelines fill an SM's shared memory
  return r;
}

std::string batch_expected(const ModelGraph& g, const GpuSpec& gpu, Precision p, Optimizer opt) {
  const int fits = max_batch(g, gpu, p, opt);
  std::string out = fits > 0 ? "at most " + std::to_string(fits) + " samples" : "a smaller model or input (not even 1 sample fits)";
  return out + " for " + g.name + " at " + g.input_size() + " on " + gpu.name +
         " (" + std::string(to_string(p)) + ", " + std::string(to_string(opt)) + ")";
}

}  // namespace

Seconds ComputeProfile::forward_s() const {
  Seconds t = 0;
  for (const auto& l : layers) t += l.forward;
  return t;
}

Seconds ComputeProfile::backward_s() const {
  Seconds t = 0;
  for (const auto& l : layers) t += l.backward;
  return t;
}

double matmul_efficiency(const GpuSpec& gpu, const ComputeGeneration& gen, DataType t) noexcept {
  const double clock = gpu.physics.clock_factor();
  // TF32 runs the same tensor-core pipeline as fp16: cuBLAS TF32 GEMMs reach the fp16 fraction of
  // their peak, and the A100 trace's 3x3 TF32 convolutions ~0.68 of it (docs/compute-model.md).
  switch (t) {
    case DataType::fp32: return gen.fp32_efficiency * clock;
    case DataType::tf32:
    case DataType::fp16:
    case DataType::bf16:
    case DataType::fp8: break;
  }
  return gpu.physics.matmul_fraction * gen.physics.implicit_gemm_factor * clock;
}

double eager_bandwidth_gbps(const GpuSpec& gpu) noexcept { return gpu.physics.stream_gbps; }

double cudnn_bandwidth_gbps(const GpuSpec& gpu, const SharedPhysics& physics, double element_bytes) noexcept {
  // The clock of the loaded GPU (boost, or what a power limit allows); before resolve_physics the boost clock.
  const double clock = gpu.physics.loaded_clock_mhz > 0 ? gpu.physics.loaded_clock_mhz : gpu.physics.boost_clock_mhz;
  const double little = physics.cudnn_bytes_per_sm_clock * element_bytes / 4.0 * gpu.sm_count * clock * 1e-3;
  return std::min(gpu.physics.stream_gbps, little);
}

Bytes memory_capacity(const GpuSpec& gpu) { return gpu.memory_gb * kGiB; }

std::vector<std::string> supported_precisions(const GpuSpec& gpu) {
  std::vector<std::string> out;
  for (const auto& name : precision_names()) {
    if (gpu.supports(matmul_type(*parse_precision(name)))) out.push_back(name);
  }
  return out;
}

void require_precision(const GpuSpec& gpu, Precision p) {
  const DataType t = matmul_type(p);
  if (gpu.supports(t)) return;
  throw InputError({}, "precision", std::string(to_string(p)),
                   "a precision " + gpu.name + " supports (it has no " + std::string(to_string(t)) +
                       " tensor cores): " + join(supported_precisions(gpu), ", "));
}

MemoryBreakdown training_memory(const ModelGraph& g, Precision p, Optimizer opt, int batch) {
  return training_memory(memory_inputs(g, p), batch, p, opt);
}

int max_batch(const ModelGraph& g, const GpuSpec& gpu, Precision p, Optimizer opt) {
  return largest_batch(memory_inputs(g, p), memory_capacity(gpu), p, opt);
}

ComputeProfile profile_model(const ModelGraph& g, const GpuSpec& gpu, const ComputeGeneration& gen, Precision p,
                             int batch, Optimizer opt, double calibration) {
  return profile_model(g, gpu, gen, p, batch, opt, calibration, ProfileOptions{});
}

ComputeProfile profile_model(const ModelGraph& g, const GpuSpec& gpu, const ComputeGeneration& gen, Precision p,
                             int batch, Optimizer opt, double calibration, const ProfileOptions& options) {
  require_precision(gpu, p);
  if (batch < 1) throw InputError({}, "batch", std::to_string(batch), "at least 1 sample per GPU");
  if (!(calibration > 0) || !std::isfinite(calibration)) {
    throw InputError({}, "calibration", format_double(calibration), "a multiplier > 0");
  }
  ComputeProfile prof;
  prof.model = g.name;
  prof.tokens = g.tokens;
  prof.gpu = gpu.name;
  prof.precision = p;
  prof.batch = batch;
  prof.optimizer = opt;
  prof.channels_last = options.channels_last;
  prof.calibration = calibration;
  prof.input_bytes_per_sample = g.input_bytes_per_sample;
  prof.memory = training_memory(g, p, opt, batch);
  prof.memory_capacity = memory_capacity(gpu);
  if (options.check_memory && prof.memory.total() > prof.memory_capacity) {
    throw InputError({}, "batch", std::to_string(batch),
                     batch_expected(g, gpu, p, opt) + "; needs " + describe(prof.memory, prof.memory_capacity));
  }

  // Three memory paths (MemoryPath, docs/compute-model.md section 3): PyTorch's vectorised kernels
  // stream; cuDNN's convolution and transpose kernels stop at the Little's-law limit of 4-byte
  // elements; its per-channel NCHW batch norm, an element per thread, at the limit of the element's size.
  const RooflineParams rp = roofline_params(gpu, gen, p);
  RooflineParams rp_cudnn = rp;
  rp_cudnn.bandwidth = gbps(cudnn_bandwidth_gbps(gpu, gen.physics, 4.0));
  RooflineParams rp_element = rp;
  rp_element.bandwidth = gbps(cudnn_bandwidth_gbps(gpu, gen.physics, activation_bytes(p)));
  const auto params = [&](const KernelSpec& k) -> const RooflineParams& {
    switch (k.path) {
      case MemoryPath::stream: break;
      case MemoryPath::cudnn: return rp_cudnn;
      case MemoryPath::cudnn_element: return rp_element;
    }
    return rp;
  };
  const ConvTiles tiles{128.0, gen.physics.tile_n, gen.physics.tile_n_narrow, gen.physics.tile_k};
  const KernelOptions ko{p, options.channels_last, batch, tiles, gpu.supports(DataType::tf32)};  // sm80 and later
  for (const auto& l : g.layers) {
    const LayerKernels k = layer_kernels(l, ko);
    LayerCost c;
    c.name = l.name;
    c.kind = l.kind;
    c.kernels = static_cast<int>(k.forward.size() + k.backward.size());
    c.grad_bytes = parameters(l) * 4.0;
    for (const auto& kernel : k.forward) {
      const Seconds t = roofline_time(kernel.work, params(kernel)) * calibration;
      c.forward += t;
      c.forward_flops += kernel.work.flops;
      if (kernel.matmul) {
        c.matmul_forward += t;
        c.compute_bound = compute_bound(kernel.work, params(kernel));
      }
    }
    for (const auto& kernel : k.backward) {
      const Seconds t = roofline_time(kernel.work, params(kernel)) * calibration;
      c.backward += t;
      c.backward_flops += kernel.work.flops;
      if (kernel.matmul) c.matmul_backward += t;
    }
    prof.gradient_bytes += c.grad_bytes;
    prof.layers.push_back(std::move(c));
  }
  // One framework operator per layer each way; a host-bound phase stretches its kernels evenly.
  prof.host_forward_s = prof.host_backward_s = static_cast<double>(g.layers.size()) * eager_dispatch_per_op() * calibration;
  const double stretch_fwd = host_bound_stretch(prof.forward_s(), prof.host_forward_s);
  const double stretch_bwd = host_bound_stretch(prof.backward_s(), prof.host_backward_s);
  for (auto& c : prof.layers) {
    c.forward *= stretch_fwd;
    c.backward *= stretch_bwd;
    c.matmul_forward *= stretch_fwd;
    c.matmul_backward *= stretch_bwd;
  }
  const Bytes step_bytes = g.params() * optimizer_step_bytes_per_param(opt, p);
  const double launches = foreach_ops(opt, p) * std::ceil(parameter_tensors(g) / kTensorsPerForeachLaunch);
  prof.optimizer_s = (step_bytes / (rp.bandwidth * rp.memory_efficiency) + launches * rp.launch) * calibration;
  return prof;
}

}  // namespace trainsim
