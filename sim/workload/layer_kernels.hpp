// The GPU kernels that one layer launches in forward and in backward, and the work of each, as
// PyTorch's eager mode runs them with cuDNN. Shapes come from the Layer; n_in, n_out below are a
// batch's input and output elements and e the bytes of an activation element.
//
//   conv, deconv, linear  forward: one matmul kernel, F = 2 MACs x batch (channels padded for tensor
//                         cores), bytes (n_in + n_out) e + weights; its shape efficiency is the
//                         useful fraction of its tiles: output channels over whole tiles (64 wide
//                         up to 64 channels, else 128) times C x k x k over whole 32-deep steps
//                         (input gradient: the roles of Cin and Cout swap; weight gradient: both
//                         Cout and Cin x k x k over whole tiles). Backward: the input gradient
//                         (not for the image) and the weight gradient, each the forward's F.
//                         NCHW tensors under tensor cores (tf32, and fp16, bf16, fp8 from compute
//                         capability 8.0, see fp16_nchw_gemm): a 1x1 stride-1
//                         convolution runs as a per-image GEMM straight on NCHW (tiles over one
//                         image's H x W, a reduce_wgrad pass of 2 x 4 bytes per weight after its weight
//                         gradient), no copies; every other one transposes x and the filter in
//                         (forward, 2 n_in e + 2 w), dy and the filter in and dx out (input gradient,
//                         2 (n_out + n_in) e + 2 w), dy and x in and dW out (weight gradient, 2 (n_out
//                         + n_in) e + 2 w); the forward writes NCHW itself under TF32 and copies y
//                         back (2 n_out e) under fp16/bf16/fp8. These copies are cuDNN's transpose
//                         kernels (MemoryPath::cudnn).
//                         NHWC under fp16/bf16/fp8: copies only of the operands whose
//                         channels per group are not whole tensor-core vectors (nhwc_pad_copies).
//                         Mixed precision: autocast casts the fp32 weights (4 + w bytes per
//                         parameter) and the weight gradient back (w + 4).
//                         Grouped convolutions: one implicit GEMM per group, channels padded and
//                         tiled per group (Cin/g, Cout/g). Depthwise (one input channel per
//                         group): direct CUDA-core kernels, memory bound, no transposes: forward and
//                         input gradient stream (n_in + n_out) e + weights; the weight gradient too
//                         in cuDNN, but k^2 (n_out + n_in / stride) e + weights in PyTorch's native
//                         kernel (one block per channel and tap; cudnn_depthwise picks the backend).
//   bmm                   (two activations, attention) forward one matmul kernel over both inputs and
//                         the output; backward two, one per input gradient, each the forward's F.
//   batchnorm             forward 2 kernels, 3 n e (statistics pass, normalise pass);
//                         backward 2 kernels, 5 n e (reductions over dy and x, then dx). NCHW: cuDNN's
//                         per-channel (SPATIAL) kernels, an element per thread (cudnn_element); NHWC:
//                         its SPATIAL_PERSISTENT kernels, which stream like PyTorch's.
//   relu, sigmoid         forward 2 n e; backward 3 n e (dy, the saved output, dx).
//   add, concat           forward (all inputs + output) e; backward passes dy through (no kernel).
//   upsample, avgpool     (n_in + n_out) e each way.
//   maxpool               forward n_in e + n_out (e + 8) (int64 indices); backward zero-fills dx
//                         and scatters: 2 n_in e + n_out (e + 8).
//   a tensor read by k > 1 layers: k - 1 gradient sums of 3 n e in the producer's backward.
#pragma once

#include <vector>

#include "sim/hw/precision.hpp"
#include "sim/model/roofline.hpp"
#include "sim/workload/layer.hpp"

namespace trainsim {

// Whose kernel it is, for the DRAM bandwidth it reaches (docs/compute-model.md section 3).
enum class MemoryPath {
  stream,         // PyTorch's vectorised eager kernels, cuDNN's NHWC batch norm: the streaming bandwidth
  cudnn,          // cuDNN's convolution and layout-transpose kernels (16-byte vectors, shared-memory
                  // tiles): the Little's-law limit of 4-byte elements, whatever the data type
  cudnn_element,  // cuDNN's per-channel NCHW batch norm, an element per thread: the Little's-law limit
                  // at the element's size (fp16 half the bytes per clock of fp32)
};

struct KernelSpec {
  KernelWork work;
  bool matmul = false;  // runs at the matmul peak of the precision; otherwise memory bound
  MemoryPath path = MemoryPath::stream;
};

struct LayerKernels {
  std::vector<KernelSpec> forward, backward;
};

// The tiles of cuDNN's implicit-GEMM kernels (catalog compute_model: tile_n, tile_n_narrow, tile_k).
struct ConvTiles {
  double m = 128;        // output pixels (batch x H x W) per tile
  double n = 128;        // output channels per tile
  double n_narrow = 64;  // the narrower tile picked for at most this many output channels
  double k = 32;         // reduction elements (C x k x k) per main-loop step

  // The tile width for an extent of `n` channels, and the useful fraction of the tiles it fills.
  [[nodiscard]] double width_for(double channels) const noexcept { return channels <= n_narrow ? n_narrow : n; }
  [[nodiscard]] double n_fraction(double channels) const noexcept;
  [[nodiscard]] double k_fraction(double reduction) const noexcept;
};

struct KernelOptions {
  Precision precision = Precision::amp;
  bool channels_last = false;  // NHWC (torch.channels_last); PyTorch's default is NCHW
  int batch = 1;
  ConvTiles tiles;
  // cuDNN 8's sm80 kernels (compute capability 8.0 and up: the GPUs with TF32) run fp16/bf16/fp8 NCHW
  // 1x1 stride-1 convolutions as per-image GEMMs, as TF32 ones; no profile shows them on V100 or Turing,
  // which transpose every convolution under fp16 (the V100 measurements agree, docs/compute-model.md).
  bool fp16_nchw_gemm = true;
};

// Tensor-core MMA instructions take operands in 16-byte vectors along the channels: cuDNN pads
// the channel count to 8 (fp16/bf16), 4 (tf32) or 16 (fp8) elements. FP32 CUDA cores need none.
[[nodiscard]] int padded_channels(int channels, DataType t) noexcept;

// Thread blocks of an implicit-GEMM kernel over an M x N output (tiles of m x width_for(N)).
[[nodiscard]] double gemm_tiles(double m, double n, const ConvTiles& t = {}) noexcept;

// Channels-last (NHWC) convolutions under fp16/bf16/fp8 whose channels per group are not whole
// tensor-core vectors (8 fp16/bf16 elements, 16 fp8: padded_channels): cuDNN pads the channel
// dimension to use tensor cores (NVIDIA, Convolutional Layers User's Guide, "Channels In And Out
// Requirements": from cuDNN 7.6.3 "convolution dimensions will automatically be padded where
// necessary"), and the innermost dimension of an NHWC tensor can only be padded by copying it.
// x: the input (x, dx) is copied; y: the output side (y, dy). Each copy reads and writes the tensor
// once (2 n e), like the NCHW transposes, which pad in the same pass. Depthwise convolutions
// (direct kernels) and linear layers (cuBLAS) pay none.
struct NhwcPadCopies {
  bool x = false, y = false;
};
[[nodiscard]] NhwcPadCopies nhwc_pad_copies(const Layer& l, const KernelOptions& o) noexcept;

// Whether PyTorch 1.12 (cuDNN >= 8.2) runs a depthwise convolution in cuDNN rather than in its
// native kernels (aten/src/ATen/native/Convolution.cpp, use_cudnn_depthwise and
// check_cudnn_depthwise_workload_with_filter): always for channels-last input; for NCHW only fp16
// with >= 32 channels, a square 1x1, 3x3 or 5x5 kernel and an input at least 7 wide, at stride 1, or
// at stride 2 for 3x3 and 5x5 over >= 512 channels or >= 256 channels at least 28 wide (batch > 1).
[[nodiscard]] bool cudnn_depthwise(const Layer& l, const KernelOptions& o) noexcept;

// Bytes per element of the matmul operands (weights) for the data type.
[[nodiscard]] int matmul_bytes(DataType t) noexcept;

// A 1x1, stride-1, ungrouped convolution: a GEMM on NCHW tensors as they are (no layout transposes
// in TF32, where cuDNN runs it as a batched CUTLASS GEMM).
[[nodiscard]] bool nchw_gemm(const Layer& l) noexcept;

// Whether NCHW convolutions pay cuDNN's layout transposes at this precision (fp16/bf16/fp8: every
// convolution; TF32 pays them too, except for nchw_gemm convolutions, see layer_kernels.cpp).
[[nodiscard]] bool transposes_nchw(Precision p) noexcept;

[[nodiscard]] LayerKernels layer_kernels(const Layer& l, const KernelOptions& o);

}  // namespace trainsim
