// Kernel classes from names. cuBLAS, cuDNN and CUTLASS name their kernels after the arithmetic
// (sgemm, h884gemm, s1688, xmma, scudnn, wgrad/dgrad); PyTorch's own kernels after the operation
// (vectorized_elementwise_kernel, batch_norm_*, multi_tensor_apply_kernel).
#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "sim/workload/kernel_trace.hpp"

namespace trainsim {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

template <std::size_t N>
bool any_of(const std::string& s, const std::array<std::string_view, N>& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return s.find(w) != std::string::npos; });
}

constexpr std::array<std::string_view, 20> kMatmul{
    "gemm",  "cudnn_",  "scudnn", "hcudnn", "conv",   "xmma",  "cutlass", "wgrad", "dgrad",  "fprop",
    "1688",  "884",     "16816",  "winograd", "implicit_convolve", "cublas", "sm80_", "sm90_", "s161616", "bmm"};
constexpr std::array<std::string_view, 4> kOptimizerKernels{"multi_tensor_apply", "adam", "sgd_", "fused_sgd"};
constexpr std::array<std::string_view, 20> kElementwise{
    "elementwise", "norm",   "bn_",     "softmax", "relu",  "gelu",  "silu",     "dropout",  "reduce",
    "pool",        "unroll", "vectorized", "copy", "fill",  "cat_",  "upsample", "activation", "nchwtonhwc", "nhwctonchw", "transpose"};
constexpr std::array<std::string_view, 6> kMatmulOps{"aten::mm", "aten::addmm", "aten::bmm", "aten::linear",
                                                     "aten::matmul", "conv"};

}  // namespace

const char* to_string(KernelClass c) {
  switch (c) {
    case KernelClass::matmul: return "matmul";
    case KernelClass::norm_elementwise: return "norm_elementwise";
    case KernelClass::optimizer: return "optimizer";
    case KernelClass::nccl: return "nccl";
    case KernelClass::memcpy: return "memcpy";
    case KernelClass::other: return "other";
  }
  return "other";
}

KernelClass classify_kernel(const std::string& kernel, const std::string& op, bool in_optimizer) {
  const std::string k = lower(kernel);
  if (k.find("nccl") != std::string::npos) return KernelClass::nccl;
  if (k.rfind("memcpy", 0) == 0 || k.rfind("memset", 0) == 0) return KernelClass::memcpy;
  // cuDNN's helper kernels (computeOffsetsKernel, ...) are tiny; they are not matmuls.
  if (k.find("computeoffsets") == std::string::npos && any_of(k, kMatmul)) return KernelClass::matmul;
  if (in_optimizer || any_of(k, kOptimizerKernels)) return KernelClass::optimizer;
  if (any_of(k, kElementwise)) return KernelClass::norm_elementwise;
  if (!op.empty() && any_of(lower(op), kMatmulOps)) return KernelClass::matmul;
  return KernelClass::other;
}

DataType kernel_data_type(const std::string& kernel) {
  const std::string k = lower(kernel);
  if (k.find("tf32") != std::string::npos) return DataType::tf32;
  if (k.find("bf16") != std::string::npos || k.find("bfloat16") != std::string::npos) return DataType::bf16;
  // h884/h1688/h16816: fp16 tensor-core HMMA; s1688/s16816 with f16 operands too.
  for (std::string_view w : {"fp16", "half", "h884", "h1688", "h16816", "hmma", "f16f16", "_f16", "s1688", "s16816"}) {
    if (k.find(w) != std::string::npos) return DataType::fp16;
  }
  return DataType::fp32;
}

OpWork operator_work(const std::string& op, const std::vector<std::vector<long long>>& dims,
                     const std::vector<std::string>& types) {
  const auto elems = [](const std::vector<long long>& d) {
    double n = 1;
    for (long long x : d) n *= static_cast<double>(x);
    return d.empty() ? 0.0 : n;
  };
  const auto width = [&](std::size_t i) {
    const std::string t = i < types.size() ? types[i] : "float";
    if (t == "c10::Half" || t == "c10::BFloat16" || t == "Half" || t == "BFloat16") return 2.0;
    if (t == "double") return 8.0;
    return 4.0;
  };
  OpWork w;
  const auto in_bytes = [&] {
    double b = 0;
    for (std::size_t i = 0; i < dims.size(); ++i) b += elems(dims[i]) * width(i);
    return b;
  };
  if ((op == "aten::mm" || op == "aten::matmul") && dims.size() >= 2 && dims[0].size() == 2 && dims[1].size() == 2) {
    const double m = static_cast<double>(dims[0][0]), k = static_cast<double>(dims[0][1]), n = static_cast<double>(dims[1][1]);
    w.flops = 2 * m * k * n;
    w.bytes = in_bytes() + m * n * width(0);
  } else if (op == "aten::addmm" && dims.size() >= 3 && dims[1].size() == 2 && dims[2].size() == 2) {
    const double m = static_cast<double>(dims[1][0]), k = static_cast<double>(dims[1][1]), n = static_cast<double>(dims[2][1]);
    w.flops = 2 * m * k * n;
    w.bytes = in_bytes() + m * n * width(1);
  } else if (op == "aten::bmm" && dims.size() >= 2 && dims[0].size() == 3 && dims[1].size() == 3) {
    const double b = static_cast<double>(dims[0][0]), m = static_cast<double>(dims[0][1]);
    const double k = static_cast<double>(dims[0][2]), n = static_cast<double>(dims[1][2]);
    w.flops = 2 * b * m * k * n;
    w.bytes = in_bytes() + b * m * n * width(0);
  } else if (op == "aten::linear" && dims.size() >= 2 && !dims[0].empty() && dims[1].size() == 2) {
    const double rows = elems(dims[0]) / static_cast<double>(dims[0].back());
    const double k = static_cast<double>(dims[1][1]), n = static_cast<double>(dims[1][0]);
    w.flops = 2 * rows * k * n;
    w.bytes = in_bytes() + rows * n * width(0);
  }
  return w;
}

}  // namespace trainsim
