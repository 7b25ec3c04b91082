#include "sim/workload/layer.hpp"

namespace trainsim {

std::string_view to_string(LayerKind k) {
  switch (k) {
    case LayerKind::conv: return "conv";
    case LayerKind::deconv: return "deconv";
    case LayerKind::linear: return "linear";
    case LayerKind::batchnorm: return "batchnorm";
    case LayerKind::relu: return "relu";
    case LayerKind::sigmoid: return "sigmoid";
    case LayerKind::maxpool: return "maxpool";
    case LayerKind::avgpool: return "avgpool";
    case LayerKind::add: return "add";
    case LayerKind::upsample: return "upsample";
    case LayerKind::concat: return "concat";
    case LayerKind::elementwise: return "elementwise";
    case LayerKind::loss: return "loss";
    case LayerKind::bmm: return "bmm";
  }
  return "?";
}

bool is_matmul(LayerKind k) {
  return k == LayerKind::conv || k == LayerKind::deconv || k == LayerKind::linear || k == LayerKind::bmm;
}

bool is_matmul(const Layer& l) { return is_matmul(l.kind); }

double kernel_area(const Layer& l) {
  return static_cast<double>(l.kernel) * (l.kernel_w > 0 ? l.kernel_w : l.kernel);
}

double forward_macs(const Layer& l) {
  const double k2 = kernel_area(l);
  const double g = l.groups > 0 ? l.groups : 1;
  switch (l.kind) {
    case LayerKind::conv: return l.out.elements() * (l.in.c / g) * k2;
    case LayerKind::deconv: return l.in.elements() * (l.out.c / g) * k2;
    case LayerKind::linear:
    case LayerKind::bmm: return l.in.elements() * l.out.c;
    default: return 0.0;
  }
}

Flops forward_flops(const Layer& l) { return 2.0 * forward_macs(l); }

Flops input_grad_flops(const Layer& l) { return l.input_grad ? forward_flops(l) : 0.0; }

// A bmm's second input gradient stands where a weight gradient would.
Flops weight_grad_flops(const Layer& l) { return forward_flops(l); }

Flops backward_flops(const Layer& l) { return input_grad_flops(l) + weight_grad_flops(l); }

double parameters(const Layer& l) {
  const double k2 = kernel_area(l);
  const double g = l.groups > 0 ? l.groups : 1;
  const double bias = l.bias ? l.out.c : 0.0;
  switch (l.kind) {
    case LayerKind::conv:
    case LayerKind::deconv: return static_cast<double>(l.out.c) * (l.in.c / g) * k2 + bias + l.extra_params;
    case LayerKind::linear: return static_cast<double>(l.in.c) * l.out.c + bias + l.extra_params;
    case LayerKind::batchnorm: return 2.0 * l.out.c + l.extra_params;
    default: return l.extra_params;
  }
}

}  // namespace trainsim
