#include "sim/model/training_memory.hpp"

#include <cmath>
#include <limits>

#include "sim/util/strings.hpp"

namespace trainsim {

std::string_view to_string(Optimizer o) {
  switch (o) {
    case Optimizer::sgd: return "sgd";
    case Optimizer::adamw: return "adamw";
  }
  return "?";
}

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names{"sgd", "adamw"};
  return names;
}

bool parse_optimizer(std::string_view s, Optimizer& out) {
  if (s == "sgd") {
    out = Optimizer::sgd;
    return true;
  }
  if (s == "adamw" || s == "adam") {
    out = Optimizer::adamw;
    return true;
  }
  return false;
}

Bytes optimizer_state_bytes_per_param(Optimizer o) noexcept { return o == Optimizer::sgd ? 4.0 : 8.0; }

Bytes optimizer_step_bytes_per_param(Optimizer o, Precision p) noexcept {
  const Bytes step = o == Optimizer::sgd ? 44.0 : 80.0;
  return step + (mixed(p) ? 8.0 : 0.0);
}

Bytes weight_copy_bytes_per_param(Precision p) noexcept {
  switch (p) {
    case Precision::fp32:
    case Precision::tf32: return 0.0;
    case Precision::amp:
    case Precision::bf16: return 2.0;
    case Precision::fp8: return 1.0;
  }
  return 0.0;
}

// A PyTorch process that has run cuDNN convolutions holds about 1 GB before any tensor: the CUDA
// context, the cuDNN and cuBLAS kernel images and handles (nvidia-smi on CUDA 11/12 without lazy
// module loading shows 0.8-1.3 GB).
Bytes cuda_context_bytes() noexcept { return 1.0 * kGB; }

// cudnn.benchmark picks the fastest algorithm whose workspace fits; the chosen ones for ResNet-
// and HRNet-sized convolutions need a few hundred MB. The caching allocator keeps the largest.
Bytes cudnn_workspace_bytes() noexcept { return 0.5 * kGB; }

MemoryBreakdown training_memory(const MemoryInputs& in, int batch, Precision p, Optimizer o) noexcept {
  MemoryBreakdown m;
  m.params = in.params * (4.0 + weight_copy_bytes_per_param(p));
  m.grads = in.params * 4.0;
  m.optimizer = in.params * optimizer_state_bytes_per_param(o);
  m.activations = batch * in.saved_per_sample;
  m.workspace = cudnn_workspace_bytes() + batch * in.transient_per_sample;
  m.context = cuda_context_bytes();
  return m;
}

int largest_batch(const MemoryInputs& in, Bytes capacity, Precision p, Optimizer o) noexcept {
  const MemoryBreakdown fixed = training_memory(in, 0, p, o);
  const Bytes per_sample = in.saved_per_sample + in.transient_per_sample;
  if (per_sample <= 0 || fixed.total() + per_sample > capacity) return 0;
  const double b = std::floor((capacity - fixed.total()) / per_sample);
  return b >= std::numeric_limits<int>::max() ? std::numeric_limits<int>::max() : static_cast<int>(b);
}

std::string describe(const MemoryBreakdown& m, Bytes capacity) {
  auto gb = [](Bytes b) { return fixed(b / kGB, 2); };
  return "params " + gb(m.params) + " + grads " + gb(m.grads) + " + optimizer " + gb(m.optimizer) + " + activations " +
         gb(m.activations) + " + workspace " + gb(m.workspace) + " + context " + gb(m.context) + " = " + gb(m.total()) +
         " GB of " + gb(capacity) + " GB";
}

}  // namespace trainsim
