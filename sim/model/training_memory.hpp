// Memory of one training process on one GPU, and the largest batch that fits. Every term is bytes:
//   params      P x (4 + c)      fp32 weights (the master copy under mixed precision) plus the
//                                low-precision copy of c bytes that autocast caches for the iteration
//   grads       P x 4            fp32 gradients (autocast keeps parameters, hence .grad, in fp32)
//   optimizer   P x s            s = 4 (SGD momentum) or 8 (Adam/AdamW first and second moments)
//   activations b x A            A = bytes saved for backward by one sample and still alive at the
//                                memory peak (the layer where saved-so-far + in-flight is largest)
//   workspace   W + b x T        W = cuDNN workspace; T = tensors of one sample in flight at that
//                                layer (its inputs and output, or their gradients)
//   context     C                CUDA context, cuDNN/cuBLAS kernels and handles
// The total is linear in the batch b, so the largest batch is floor((capacity - fixed) / per_sample).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/hw/precision.hpp"
#include "sim/hw/units.hpp"

namespace trainsim {

enum class Optimizer { sgd, adamw };

[[nodiscard]] std::string_view to_string(Optimizer o);
[[nodiscard]] const std::vector<std::string>& optimizer_names();
// Accepts sgd, adam and adamw (Adam and AdamW keep the same state).
[[nodiscard]] bool parse_optimizer(std::string_view s, Optimizer& out);

// Optimizer state per parameter: SGD momentum keeps one fp32 buffer, Adam/AdamW two.
[[nodiscard]] Bytes optimizer_state_bytes_per_param(Optimizer o) noexcept;
// DRAM traffic of one optimizer step per parameter, as PyTorch's default (foreach) optimizers run
// it: one fp32 read or write of 4 bytes per tensor touched by each multi-tensor kernel.
//   SGD, momentum and weight decay: g' = g + wd p (12), m *= mu (8), m += g' (12), p -= lr m (12) = 44
//   AdamW: p *= 1 - lr wd (8), m.lerp_(g) (12), v *= b2 (8), v += (1-b2) g g (12),
//          d = sqrt(v) (8), d /= c2 (8), d += eps (8), p -= s m / d (16)                      = 80
//   mixed precision adds the GradScaler's unscale and inf check: read g, write g               =  8
[[nodiscard]] Bytes optimizer_step_bytes_per_param(Optimizer o, Precision p) noexcept;
// Bytes of the low-precision weight copy autocast caches (0 when training in fp32/tf32).
[[nodiscard]] Bytes weight_copy_bytes_per_param(Precision p) noexcept;

// Fixed costs of a process, with their reasons in training_memory.cpp.
[[nodiscard]] Bytes cuda_context_bytes() noexcept;
[[nodiscard]] Bytes cudnn_workspace_bytes() noexcept;

struct MemoryBreakdown {
  Bytes params = 0, grads = 0, optimizer = 0, activations = 0, workspace = 0, context = 0;
  [[nodiscard]] Bytes total() const { return params + grads + optimizer + activations + workspace + context; }
};

struct MemoryInputs {
  double params = 0;               // parameter count P
  Bytes saved_per_sample = 0;      // A
  Bytes transient_per_sample = 0;  // T
};

[[nodiscard]] MemoryBreakdown training_memory(const MemoryInputs& in, int batch, Precision p, Optimizer o) noexcept;

// The largest batch whose training_memory fits in `capacity`; 0 when not even one sample fits.
[[nodiscard]] int largest_batch(const MemoryInputs& in, Bytes capacity, Precision p, Optimizer o) noexcept;

// "params 0.10 + grads 0.10 + ... = 25.31 GB of 25.77 GB": the breakdown in decimal GB.
[[nodiscard]] std::string describe(const MemoryBreakdown& m, Bytes capacity);

}  // namespace trainsim
