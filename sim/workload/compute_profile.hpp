// The compute side of one training iteration on one GPU: per-layer forward and backward times
// from the roofline of each layer's kernels, the optimizer step, the gradient bytes DDP reduces,
// and the memory the run needs. The engine replays exactly these numbers: with one GPU and
// synthetic data an iteration takes forward_s() + backward_s() + optimizer_s.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/model/training_memory.hpp"
#include "sim/workload/model_graph.hpp"

namespace trainsim {

struct LayerCost {
  std::string name;
  Seconds forward = 0, backward = 0;
  Seconds matmul_forward = 0, matmul_backward = 0;  // of which its matmul kernels (the rest: memory kernels)
  Bytes grad_bytes = 0;                      // fp32 gradients of this layer's parameters
  Flops forward_flops = 0, backward_flops = 0;  // whole batch, as executed (tensor-core padding included)
  bool compute_bound = false;                // its main matmul kernel is limited by FLOPs, not bytes
  LayerKind kind = LayerKind::conv;
  int kernels = 0;                           // launched in forward and backward together
};

struct ComputeProfile {
  std::string model, gpu;
  int tokens = 0;  // a token model's sequence length (its samples are sequences); 0: images
  Precision precision = Precision::amp;
  int batch = 1;
  Optimizer optimizer = Optimizer::sgd;
  bool channels_last = false;
  std::vector<LayerCost> layers;        // forward order; backward runs in reverse
  Seconds optimizer_s = 0;              // the optimizer step (memory bound over params/state)
  Bytes gradient_bytes = 0;             // bytes DDP all-reduces per iteration (fp32 grads under amp)
  Bytes input_bytes_per_sample = 0;     // host-to-device bytes of one sample (image + training targets)
  double calibration = 1.0;             // multiplier already applied to every kernel time
  MemoryBreakdown memory;
  Bytes memory_capacity = 0;            // what the GPU offers
  Seconds host_forward_s = 0, host_backward_s = 0;  // CPU dispatch time of each phase (host_dispatch.hpp);
                                                    // layer times are stretched when it exceeds the GPU's

  [[nodiscard]] Seconds forward_s() const;   // sum of layers' forward
  [[nodiscard]] Seconds backward_s() const;  // sum of layers' backward
  [[nodiscard]] Seconds iteration_s() const { return forward_s() + backward_s() + optimizer_s; }
  [[nodiscard]] double images_per_s() const { return batch / iteration_s(); }
  [[nodiscard]] bool host_bound() const {
    return host_forward_s >= forward_s() * (1 - 1e-9) || host_backward_s >= backward_s() * (1 - 1e-9);
  }
};

struct ProfileOptions {
  bool channels_last = false;  // torch.channels_last (NHWC); PyTorch's default is NCHW
  bool check_memory = true;    // throw InputError (with the breakdown) when the batch does not fit
};

// Throws InputError when the GPU has no tensor-core path for the precision (fp8 on an A100,
// tf32 or bf16 on a V100), when batch < 1 or calibration <= 0, and when the batch does not fit
// in memory (the message shows the breakdown in GB).
[[nodiscard]] ComputeProfile profile_model(const ModelGraph& g, const GpuSpec& gpu, const ComputeGeneration& gen,
                                           Precision p, int batch, Optimizer opt, double calibration = 1.0);
[[nodiscard]] ComputeProfile profile_model(const ModelGraph& g, const GpuSpec& gpu, const ComputeGeneration& gen,
                                           Precision p, int batch, Optimizer opt, double calibration,
                                           const ProfileOptions& options);

// The largest batch that fits the GPU's memory; 0 when not even 1 fits.
[[nodiscard]] int max_batch(const ModelGraph& g, const GpuSpec& gpu, Precision p, Optimizer opt);

// The memory of a run, without timing it.
[[nodiscard]] MemoryBreakdown training_memory(const ModelGraph& g, Precision p, Optimizer opt, int batch);

// A GPU's memory in bytes: NVIDIA's memory sizes are binary (a "24 GB" RTX 3090 has 24 GiB).
[[nodiscard]] Bytes memory_capacity(const GpuSpec& gpu);

// Throws InputError naming the precisions the GPU supports when it lacks `p`.
void require_precision(const GpuSpec& gpu, Precision p);
[[nodiscard]] std::vector<std::string> supported_precisions(const GpuSpec& gpu);

// Fraction of the dense peak of `t` that a large, well-shaped convolution reaches on `gpu`:
// fp16/bf16/fp8 matmul_fraction x implicit_gemm_factor, tf32 and fp32 the generation's figure,
// each times the sustained clock of tensor work over the clock of the peaks.
[[nodiscard]] double matmul_efficiency(const GpuSpec& gpu, const ComputeGeneration& gen, DataType t) noexcept;
// DRAM bandwidth PyTorch's eager element-wise kernels (and cuDNN's NHWC batch norm) reach, GB/s: the
// streaming bandwidth. In the A100 traces they reach 1.36-1.6 TB/s against 1375 GB/s streaming.
[[nodiscard]] double eager_bandwidth_gbps(const GpuSpec& gpu) noexcept;
// DRAM bandwidth of cuDNN's kernels, GB/s: the Little's-law limit cudnn_bytes_per_sm_clock x
// (element_bytes / 4) x SMs x loaded clock (the boost clock, or what a power limit allows), capped at
// the streaming bandwidth. Its NCHW batch-norm and transpose kernels keep an element per thread in
// flight (element_bytes = the activation's: fp16 moves half the bytes of fp32 per clock, as the A100
// profiles show); its convolution kernels move 16-byte vectors (element_bytes = 4 whatever the type).
[[nodiscard]] double cudnn_bandwidth_gbps(const GpuSpec& gpu, const SharedPhysics& physics, double element_bytes) noexcept;

}  // namespace trainsim
