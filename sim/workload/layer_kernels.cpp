#include "sim/workload/layer_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace trainsim {

namespace {

constexpr double kIndexBytes = 8.0;  // int64 max-pool indices
constexpr double kLossBytes = 4.0;   // autocast runs losses in fp32

KernelSpec memory_kernel(Bytes bytes, MemoryPath path = MemoryPath::stream) {
  return KernelSpec{KernelWork{0.0, bytes, 0.0}, false, path};
}
KernelSpec matmul_kernel(const KernelWork& w) { return KernelSpec{w, true, MemoryPath::cudnn}; }
KernelSpec transpose_kernel(Bytes bytes) { return memory_kernel(bytes, MemoryPath::cudnn); }

int group_count(const Layer& l) { return l.groups > 1 ? l.groups : 1; }

// Depthwise: one input channel per group. PyTorch runs it as a direct (CUDA-core) kernel with
// k^2 multiply-adds per element moved: memory bound.
bool depthwise(const Layer& l) { return l.kind == LayerKind::conv && l.groups > 1 && l.groups >= l.in.c; }

// The channel padding of a tensor-core kernel inflates its multiply-adds; a grouped convolution
// pads the channels of each group (an implicit GEMM per group).
double padding_factor(const Layer& l, DataType t) {
  const int g = group_count(l);
  const int cin = l.in.c / g, cout = l.out.c / g;
  if (cin < 1 || cout < 1) return 1.0;
  return static_cast<double>(padded_channels(cin, t)) / cin * padded_channels(cout, t) / cout;
}

// A depthwise convolution: CUDA-core kernels, no tensor cores, no layout transposes. The forward
// (x -> y) and the input gradient (dy -> dx) stream their operands once. The weight gradient depends
// on the backend (cudnn_depthwise): cuDNN's kernels are not public and are charged one pass over x
// and dy; PyTorch's native conv_depthwise2d_grad_weight_kernel launches one block per (channel, kh,
// kw), and each block reads its channel's dy and the x under that tap (every stride-th row) over the
// whole batch: k^2 (n_out + n_in / stride) elements at the eager bandwidth.
void depthwise_kernels(const Layer& l, const KernelOptions& o, LayerKernels& k) {
  const double b = o.batch;
  const double e = activation_bytes(o.precision);
  const double we = matmul_bytes(matmul_type(o.precision));
  const double weights = parameters(l);
  const double io_bytes = (l.in.elements() + l.out.elements()) * b * e + weights * we;
  const auto direct = [&](Flops f, Bytes bytes) { return KernelSpec{KernelWork{f, bytes, 0.0}, false}; };
  if (mixed(o.precision)) k.forward.push_back(memory_kernel(weights * (4.0 + we)));
  k.forward.push_back(direct(forward_flops(l) * b, io_bytes));
  if (l.bias) {
    k.forward.push_back(memory_kernel(2.0 * l.out.elements() * b * e));
    k.backward.push_back(memory_kernel(l.out.elements() * b * e));
  }
  if (l.input_grad) k.backward.push_back(direct(input_grad_flops(l) * b, io_bytes));
  const Bytes wgrad_bytes =
      cudnn_depthwise(l, o) ? io_bytes
                            : kernel_area(l) * (l.out.elements() + l.in.elements() / std::max(1, l.stride)) * b * e +
                                  weights * we;
  k.backward.push_back(direct(weight_grad_flops(l) * b, wgrad_bytes));
  if (mixed(o.precision)) k.backward.push_back(memory_kernel(weights * (we + 4.0)));
}

void matmul_kernels(const Layer& l, const KernelOptions& o, LayerKernels& k) {
  if (depthwise(l)) {
    depthwise_kernels(l, o, k);
    return;
  }
  const DataType t = matmul_type(o.precision);
  const double b = o.batch;
  const double e = activation_bytes(o.precision);
  const double we = matmul_bytes(t);
  const double n_in = l.in.elements() * b;
  const double n_out = l.out.elements() * b;
  const double weights = parameters(l);
  const double pad = padding_factor(l, t);
  const double io_bytes = (n_in + n_out) * e;
  // Output pixels of the forward (deconv: of its output too) and of the input gradient.
  const double m_out = b * l.out.h * l.out.w;
  const double m_in = b * l.in.h * l.in.w;

  // Tile quantisation of each call (channels as the tensor-core kernels pad them); a grouped
  // convolution is one implicit GEMM per group over that group's channels.
  const ConvTiles& tl = o.tiles;
  const double groups = group_count(l);
  const double k2 = l.kind == LayerKind::linear ? 1.0 : kernel_area(l);
  const double cin = padded_channels(std::max(1, l.in.c / group_count(l)), t);
  const double cout = padded_channels(std::max(1, l.out.c / group_count(l)), t);
  double fwd_shape = 0, dgrad_shape = 0, wgrad_shape = 0;
  if (l.kind == LayerKind::deconv) {  // each input pixel scatters Cout x k x k outputs from Cin
    fwd_shape = tl.n_fraction(cout * k2) * tl.k_fraction(cin);
    dgrad_shape = tl.n_fraction(cin) * tl.k_fraction(cout * k2);
  } else {
    fwd_shape = tl.n_fraction(cout) * tl.k_fraction(cin * k2);
    dgrad_shape = tl.n_fraction(cin) * tl.k_fraction(cout * k2);
  }
  wgrad_shape = tl.n_fraction(cout) * tl.n_fraction(cin * k2);

  // The layout copies around each cuDNN call. NCHW (two real profiles on A100: the TF32 trace
  // ../shared/reference/traces/nccl-a100-2rank-kineto.json.gz, and apuaaChen/EVT_AE's fp16 profiles,
  // benchmark/resnet/torch_result.md, both 158 nchwToNhwc calls per ResNet-50 step): a 1x1 stride-1
  // convolution runs as a per-image GEMM straight on the NCHW tensors, no transposes; every other one
  // transposes its inputs (and the filter) to NHWC. NHWC tensors
  // whose channels (per group) are not whole tensor-core vectors are copied into channel-padded buffers
  // (only those operands, see nhwc_pad_copies).
  const bool convolution = l.kind != LayerKind::linear && (transposes_nchw(o.precision) || o.precision == Precision::tf32);
  const bool gemm_path = convolution && nchw_gemm(l) && (o.fp16_nchw_gemm || o.precision == Precision::tf32);
  const NhwcPadCopies pads = nhwc_pad_copies(l, o);
  const bool nhwc = o.channels_last || l.nhwc_input;
  const bool copy_x = convolution && (nhwc ? pads.x : !gemm_path);
  const bool copy_y = convolution && (nhwc ? pads.y : !gemm_path);
  // The forward writes NCHW itself under TF32; fp16-family forwards write NHWC and transpose it back
  // (the fp16 profile has ~15 more nhwcToNchw calls per step than the TF32 trace: the 3x3 forwards).
  const bool copy_y_forward = copy_y && (nhwc || o.precision != Precision::tf32);
  // NCHW calls also transpose the filter (KCRS to KRSC) for the forward and the input gradient, and
  // the weight gradient back: in the trace, 2-3 small nchwToNhwc / nhwcToNchw kernels per call.
  const bool copy_w = convolution && !nhwc && !gemm_path;
  const double w_copy = 2.0 * weights * we;
  // NCHW layout copies are cuDNN's transpose kernels; NHWC channel-padding copies are PyTorch's.
  const auto copy = [&](Bytes bytes) { return nhwc ? memory_kernel(bytes) : transpose_kernel(bytes); };
  const bool mixed_precision = mixed(o.precision);

  // The NCHW GEMM path (1x1 stride 1) is a batched GEMM, one problem per image (grid z = the batch in
  // the TF32 trace's forward and input-gradient kernels): its tiles cover one image's pixels, so they
  // quantise over H x W, not over batch x H x W. Its weight gradient is followed by a
  // reduce_wgrad_nchw_helper kernel (<float, float> in TF32, <float, __half> in fp16), charged one pass
  // over dW in fp32 (what it reduces is not published; in the trace it takes 3-30 us).
  const bool per_image = gemm_path && !nhwc;
  double fwd_blocks = groups * gemm_tiles(m_out, cout, tl);
  double dgrad_blocks = groups * gemm_tiles(m_in, cin, tl);
  if (per_image) {
    const double hw = static_cast<double>(l.out.h) * l.out.w;  // = the input's: stride 1
    const double pixel_fraction = hw / (std::ceil(hw / tl.m) * tl.m);
    fwd_shape *= pixel_fraction;
    dgrad_shape *= pixel_fraction;
    fwd_blocks = b * gemm_tiles(hw, cout, tl);
    dgrad_blocks = b * gemm_tiles(hw, cin, tl);
  }

  if (mixed_precision) k.forward.push_back(memory_kernel(weights * (4.0 + we)));
  if (copy_x) k.forward.push_back(copy(2.0 * n_in * e));
  if (copy_w) k.forward.push_back(copy(w_copy));
  k.forward.push_back(
      matmul_kernel(KernelWork{forward_flops(l) * b * pad, io_bytes + weights * we, fwd_blocks, fwd_shape}));
  if (copy_y_forward) k.forward.push_back(copy(2.0 * n_out * e));
  if (l.bias && l.kind != LayerKind::linear) k.forward.push_back(memory_kernel(2.0 * n_out * e));

  if (l.bias) k.backward.push_back(memory_kernel(n_out * e));  // bias gradient: a reduction of dy
  if (l.input_grad) {
    if (copy_y) k.backward.push_back(copy(2.0 * n_out * e));
    if (copy_w) k.backward.push_back(copy(w_copy));
    k.backward.push_back(
        matmul_kernel(KernelWork{input_grad_flops(l) * b * pad, io_bytes + weights * we, dgrad_blocks, dgrad_shape}));
    if (copy_x) k.backward.push_back(copy(2.0 * n_in * e));
  }
  // The weight-gradient call copies dy and x again.
  if (copy_y) k.backward.push_back(copy(2.0 * n_out * e));
  if (copy_x) k.backward.push_back(copy(2.0 * n_in * e));
  // The weight gradient reduces over batch x pixels; cuDNN splits that reduction across the GPU
  // (split-K), so it has no wave tail worth modelling (blocks = 0).
  k.backward.push_back(matmul_kernel(KernelWork{weight_grad_flops(l) * b * pad, io_bytes + weights * we, 0.0, wgrad_shape}));
  if (per_image) k.backward.push_back(memory_kernel(2.0 * weights * 4.0));  // reduce_wgrad_nchw_helper
  if (copy_w) k.backward.push_back(copy(w_copy));
  if (mixed_precision) k.backward.push_back(memory_kernel(weights * (we + 4.0)));
}

// A matmul of two activations: no weights to cast; backward computes both input gradients.
void bmm_kernels(const Layer& l, const KernelOptions& o, LayerKernels& k) {
  const DataType t = matmul_type(o.precision);
  const double b = o.batch;
  const double e = activation_bytes(o.precision);
  const Flops f = forward_flops(l) * b * padding_factor(l, t);
  const Bytes io_bytes = (l.in_elements + l.out.elements()) * b * e;
  const double rows = b * l.out.h * l.out.w;  // M x batch
  k.forward.push_back(matmul_kernel(KernelWork{f, io_bytes, gemm_tiles(rows, l.out.c)}));
  k.backward.push_back(matmul_kernel(KernelWork{f, io_bytes, gemm_tiles(rows, l.in.c)}));
  k.backward.push_back(matmul_kernel(KernelWork{f, io_bytes, gemm_tiles(b * l.in.w * l.in.c, l.out.c)}));
}

}  // namespace

int padded_channels(int channels, DataType t) noexcept {
  int vector = 1;
  switch (t) {
    case DataType::fp32: vector = 1; break;
    case DataType::tf32: vector = 4; break;
    case DataType::fp16:
    case DataType::bf16: vector = 8; break;
    case DataType::fp8: vector = 16; break;
  }
  return (channels + vector - 1) / vector * vector;
}

bool cudnn_depthwise(const Layer& l, const KernelOptions& o) noexcept {
  if (o.channels_last || l.nhwc_input) return true;  // "always use cudnn_depthwise for channels_last format"
  const int c = l.in.c, w = l.in.w, f = l.kernel;
  // fp16 only (autocast's amp; bf16 and the bf16 layers of fp8 runs stay native), >= 32 channels.
  if (o.precision != Precision::amp || c < 32) return false;
  if (l.in.h == 1 && l.stride == 1) return true;  // 1-D
  if ((l.kernel_w != 0 && l.kernel_w != f) || (f != 1 && f != 3 && f != 5) || w < 7) return false;
  if (l.stride == 1) return true;
  if (l.stride != 2) return false;
  if (o.batch == 1) return (f == 1 && w <= 28) || f == 3 || f == 5;
  if (f == 1) return o.batch <= 16 && c >= 128 && w <= 7;
  return c >= 512 || (c >= 256 && w >= 28);
}

NhwcPadCopies nhwc_pad_copies(const Layer& l, const KernelOptions& o) noexcept {
  NhwcPadCopies p;
  const bool tensor_cores = transposes_nchw(o.precision) || o.precision == Precision::tf32;
  if (!(o.channels_last || l.nhwc_input) || !tensor_cores || l.kind == LayerKind::linear || depthwise(l)) return p;
  const DataType t = matmul_type(o.precision);
  const int g = group_count(l);
  const int cin = std::max(1, l.in.c / g), cout = std::max(1, l.out.c / g);
  p.x = padded_channels(cin, t) != cin;
  p.y = padded_channels(cout, t) != cout;
  return p;
}

double ConvTiles::n_fraction(double channels) const noexcept {
  if (channels <= 0) return 1.0;
  const double w = width_for(channels);
  return channels / (std::ceil(channels / w) * w);
}

double ConvTiles::k_fraction(double reduction) const noexcept {
  if (reduction <= 0) return 1.0;
  return reduction / (std::ceil(reduction / k) * k);
}

double gemm_tiles(double m, double n, const ConvTiles& t) noexcept {
  return std::ceil(m / t.m) * std::ceil(n / t.width_for(n));
}

int matmul_bytes(DataType t) noexcept {
  switch (t) {
    case DataType::fp32:
    case DataType::tf32: return 4;
    case DataType::fp16:
    case DataType::bf16: return 2;
    case DataType::fp8: return 1;
  }
  return 4;
}

bool nchw_gemm(const Layer& l) noexcept {
  return l.kind == LayerKind::conv && kernel_area(l) == 1.0 && l.stride == 1 && group_count(l) == 1;
}

bool transposes_nchw(Precision p) noexcept {
  return p == Precision::amp || p == Precision::bf16 || p == Precision::fp8;
}

LayerKernels layer_kernels(const Layer& l, const KernelOptions& o) {
  LayerKernels k;
  const double b = o.batch;
  const double e = activation_bytes(o.precision);
  const double n_in = l.in_elements * b;
  const double n_out = l.out.elements() * b;
  switch (l.kind) {
    case LayerKind::conv:
    case LayerKind::deconv:
    case LayerKind::linear: matmul_kernels(l, o, k); break;
    case LayerKind::bmm: bmm_kernels(l, o, k); break;
    case LayerKind::batchnorm: {
      // NCHW: cuDNN's per-channel (SPATIAL) kernels; NHWC: its SPATIAL_PERSISTENT ones, which stream.
      const MemoryPath bn = (o.channels_last || l.nhwc_input) ? MemoryPath::stream : MemoryPath::cudnn_element;
      k.forward = {memory_kernel(n_in * e, bn), memory_kernel(2.0 * n_in * e, bn)};
      k.backward = {memory_kernel(2.0 * n_in * e, bn), memory_kernel(3.0 * n_in * e, bn)};
      break;
    }
    case LayerKind::relu:
    case LayerKind::sigmoid:
      k.forward = {memory_kernel(2.0 * n_out * e)};
      k.backward = {memory_kernel(3.0 * n_out * e)};
      break;
    case LayerKind::add:
    case LayerKind::concat: k.forward = {memory_kernel((n_in + n_out) * e)}; break;
    case LayerKind::upsample:
    case LayerKind::avgpool:
      k.forward = {memory_kernel((n_in + n_out) * e)};
      k.backward = {memory_kernel((n_in + n_out) * e)};
      break;
    case LayerKind::maxpool:
      k.forward = {memory_kernel(n_in * e + n_out * (e + kIndexBytes))};
      k.backward = {memory_kernel(n_in * e), memory_kernel(n_in * e + n_out * (e + kIndexBytes))};
      break;
    case LayerKind::elementwise:
      for (int i = 0; i < l.kernels_forward; ++i) {
        k.forward.push_back(memory_kernel(l.passes_forward / l.kernels_forward * n_out * e));
      }
      for (int i = 0; i < l.kernels_backward; ++i) {
        k.backward.push_back(memory_kernel(l.passes_backward / l.kernels_backward * n_out * e));
      }
      break;
    case LayerKind::loss: {
      const double n_pred = l.in.elements() * b;  // one prediction map's elements
      for (int i = 0; i < l.kernels_forward; ++i) {
        k.forward.push_back(memory_kernel(l.passes_forward / l.kernels_forward * n_pred * kLossBytes));
      }
      for (int i = 0; i < l.kernels_backward; ++i) {
        k.backward.push_back(memory_kernel(l.passes_backward / l.kernels_backward * n_pred * kLossBytes));
      }
      break;
    }
  }
  for (int i = 0; i < l.extra_consumers; ++i) k.backward.push_back(memory_kernel(3.0 * n_out * e));
  if (!l.backward) k.backward.clear();
  return k;
}

}  // namespace trainsim
