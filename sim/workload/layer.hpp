// One layer of a model graph, with its shapes per sample. FLOPs, parameters and the activations it
// keeps for backward follow from the shapes (layer.cpp); its kernels and their bytes follow in
// layer_kernels.cpp. FLOPs count the multiply-adds of convolutions and matmuls, times 2, as
// torchvision and the HRNet papers count them; element-wise layers are costed by bytes only.
#pragma once

#include <string>
#include <string_view>

#include "sim/hw/units.hpp"

namespace trainsim {

enum class LayerKind {
  conv,         // Conv2d, square kernel, padding kernel/2
  deconv,       // ConvTranspose2d with kernel == stride (DBNet's x2 up-sampling)
  linear,       // fully connected, on a C x 1 x 1 input
  batchnorm,    // BatchNorm2d in training mode (batch statistics)
  relu,         // in place unless the model says otherwise
  sigmoid,
  maxpool,
  avgpool,      // global average pooling to 1 x 1
  add,          // element-wise sum of two tensors of one shape
  upsample,     // nearest-neighbour, integer factor
  concat,       // along channels
  elementwise,  // a chain of element-wise kernels (DB's step function)
  loss,         // the training loss, computed in fp32 under autocast
  bmm,          // a matmul of two activations (attention's QK^T and AV): in = K x M x batch, out = N x M x batch
};

[[nodiscard]] std::string_view to_string(LayerKind k);

// One sample's tensor: channels x height x width.
struct Shape {
  int c = 0, h = 0, w = 0;
  [[nodiscard]] double elements() const { return static_cast<double>(c) * h * w; }
};

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::conv;
  Shape in;                 // the first (or only) input
  double in_elements = 0;   // all inputs together, per sample
  Shape out;
  int kernel = 1;
  int kernel_w = 0;         // 0: square (kernel x kernel)
  int groups = 1;           // grouped and depthwise convolutions
  int stride = 1;
  // The input has channels-last strides whatever the run's memory format (an NHWC tensor permuted
  // back to NCHW, as in ConvNeXt's blocks): PyTorch then runs the convolution in cuDNN as NHWC.
  bool nhwc_input = false;
  bool bias = false;
  bool input_grad = true;   // false when the input needs no gradient (the image): none to compute
  // false when nothing this layer computes needs a gradient: a boolean result (a comparison), or no
  // weights and every input from the graph's input alone (a token model's attention mask from its ids):
  // no backward kernels, nothing saved.
  bool backward = true;
  // Element-wise chains and losses: kernels launched and passes over out.elements() per sample.
  int kernels_forward = 1, kernels_backward = 1;
  double passes_forward = 0, passes_backward = 0;
  // Filled in when the graph is complete (GraphBuilder::finish):
  double saved_elements = 0;   // activation elements kept for backward, counted once per tensor
  Bytes saved_extra_bytes = 0; // non-activation data kept for backward (max-pool indices)
  int extra_consumers = 0;     // further readers of the output: each adds a gradient sum in backward
  // Trainable parameters the shapes do not imply (imported graphs: norm scales, biases added by a
  // separate node, embeddings, layer scales).
  double extra_params = 0;
};

[[nodiscard]] bool is_matmul(LayerKind k);  // conv, deconv, linear, bmm: run on tensor cores
[[nodiscard]] bool is_matmul(const Layer& l);

// The kernel's area: kernel x kernel_w (kernel x kernel when square).
[[nodiscard]] double kernel_area(const Layer& l);

// Multiply-adds of the forward pass, per sample (g the groups, k^2 the kernel's area):
//   conv    Cout x Hout x Wout x Cin / g x k^2
//   deconv  Cin x Hin x Win x Cout / g x k^2      (each input pixel scatters a k x k patch)
//   linear  Cin x Cout x Hin x Win            (Hin x Win tokens; 1 x 1 after pooling)
//   bmm     batch x M x K x N
[[nodiscard]] double forward_macs(const Layer& l);
[[nodiscard]] Flops forward_flops(const Layer& l);       // 2 x forward_macs
// Backward of a matmul layer: the input gradient (skipped for the image) and the weight gradient
// are each the same multiply-adds as the forward. A bmm has no weight: its two input gradients.
[[nodiscard]] Flops input_grad_flops(const Layer& l);
[[nodiscard]] Flops weight_grad_flops(const Layer& l);
[[nodiscard]] Flops backward_flops(const Layer& l);
//   conv, deconv  Cout x Cin / g x k^2 (+ Cout bias);  linear Cin x Cout (+ Cout);  batchnorm 2 x C;
//   plus extra_params
[[nodiscard]] double parameters(const Layer& l);

}  // namespace trainsim
