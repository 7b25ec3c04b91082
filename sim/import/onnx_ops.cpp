// One handler per operator family; docs/models.md tabulates what each costs.
#include <algorithm>
#include <climits>

#include "sim/import/onnx_ops.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

namespace {

const std::set<std::string> kViews{"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"};
const std::set<std::string> kNoKernel{"Shape", "Size"};  // of an activation: metadata, not data
const std::set<std::string> kUnary{"Tanh",  "Erf",      "Gelu", "HardSwish", "HardSigmoid", "LeakyRelu", "Elu",
                                   "Selu",  "Softplus", "Softsign", "Clip", "Neg", "Exp", "Log", "Sqrt",
                                   "Reciprocal", "Abs", "Sin", "Cos", "PRelu", "Mish", "Celu", "Floor", "Ceil", "Round"};
const std::set<std::string> kNorms{"LayerNormalization", "GroupNormalization", "InstanceNormalization"};
const std::set<std::string> kReductions{"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL2", "ReduceProd"};
// Operators whose output keeps the memory format of their first activation operand: PyTorch's
// TensorIterator lays an element-wise output out like its first operand, and cuDNN convolutions keep
// the input's format.
const std::set<std::string> kKeepLayout{"Conv", "Add", "Sub", "Mul", "Div", "Pow", "Relu", "Sigmoid", "Cast",
                                        "Dropout", "BatchNormalization"};
// Boolean results: one forward kernel over inputs and output; no gradient flows through them.
const std::set<std::string> kCompare{"Equal", "Not", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or",
                                     "Xor", "IsNaN", "IsInf"};
const std::set<std::string> kCopies{"AveragePool", "GlobalMaxPool", "Pad", "Cast", "Expand", "Tile", "Resize",
                                    "Upsample", "Concat"};

std::int64_t int_attr(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name && a.has_i()) return a.i();
  }
  return fallback;
}

std::vector<std::int64_t> ints_attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return {a.ints().begin(), a.ints().end()};
  }
  return {};
}

int first_or(const std::vector<std::int64_t>& v, int fallback) {
  return v.empty() || v.front() < 1 || v.front() > INT_MAX ? fallback : static_cast<int>(v.front());
}

// Every dimension from 1 to 2^31 - 1: what the layer fields (int) can hold.
bool sane(const Dims& d) {
  return std::all_of(d.begin(), d.end(), [](std::int64_t x) { return x >= 1 && x <= INT_MAX; });
}

}  // namespace

// A 4-D activation has channels-last (NHWC) strides when it is x.permute(0, 3, 1, 2) of a contiguous
// tensor (ConvNeXt's blocks and LayerNorm2d permute to NHWC for the LayerNorm and the Linear layers
// and back), and keeps them through the operators of kKeepLayout and the unary ones.
void OnnxTranslator::mark_layout(const onnx::NodeProto& n) {
  if (n.output_size() < 1) return;
  const auto it = values_.find(n.output(0));
  const auto s = shapes_.find(n.output(0));
  if (it == values_.end() || !it->second.activation || s == shapes_.end() || s->second.size() != 4) return;
  const std::string& op = n.op_type();
  bool nhwc = false;
  if (op == "Transpose") {
    nhwc = ints_attr(n, "perm") == std::vector<std::int64_t>{0, 3, 1, 2};
  } else if (kKeepLayout.count(op) != 0 || kUnary.count(op) != 0) {
    for (const auto& in : n.input()) {
      if (!is_activation(in)) continue;
      nhwc = values_.at(in).channels_last;
      break;
    }
  }
  it->second.channels_last = nhwc;
}

bool OnnxTranslator::is_activation(const std::string& tensor) const {
  const auto it = values_.find(tensor);
  return !tensor.empty() && it != values_.end() && it->second.activation;
}

bool OnnxTranslator::conv(const onnx::NodeProto& n, bool transposed) {
  if (n.input_size() < 2 || !is_activation(n.input(0)) || is_activation(n.input(1))) return false;
  const Dims& w = dims(n.input(1), n);
  if (w.size() < 3 || !sane(w) || numel(w) > INT_MAX) return false;
  Layer l;
  l.kind = transposed ? LayerKind::deconv : LayerKind::conv;
  l.in = shape(n.input(0), n);
  l.out = shape(n.output(0), n);
  l.kernel = static_cast<int>(w[2]);
  l.kernel_w = 1;
  for (std::size_t i = 3; i < w.size(); ++i) l.kernel_w *= static_cast<int>(w[i]);
  const std::int64_t groups = int_attr(n, "group", 1);
  l.groups = groups >= 1 && groups <= INT_MAX ? static_cast<int>(groups) : 1;
  l.stride = first_or(ints_attr(n, "strides"), 1);
  l.bias = n.input_size() > 2 && !n.input(2).empty();
  l.nhwc_input = values_.at(n.input(0)).channels_last;
  const Tensor x = values_.at(n.input(0)).t;
  set(n.output(0), add(std::move(l), n, {x}, {x}, false, claim(n)));  // the weight gradient needs x
  return true;
}

Tensor OnnxTranslator::bmm(const onnx::NodeProto& n, Tensor a, Tensor b, const Dims& a_dims, const Dims& y_dims) {
  Layer l;
  l.kind = LayerKind::bmm;
  const double k = static_cast<double>(a_dims.back());
  const double m = a_dims.size() >= 2 ? static_cast<double>(a_dims[a_dims.size() - 2]) : 1.0;
  const double nn = static_cast<double>(y_dims.back());
  const double batch = numel(y_dims) / (m * nn);
  l.in = Shape{static_cast<int>(k), static_cast<int>(m), static_cast<int>(batch)};
  l.out = Shape{static_cast<int>(nn), static_cast<int>(m), static_cast<int>(batch)};
  return add(std::move(l), n, {a, b}, {a, b}, false, claim(n));  // each input gradient needs the other input
}

bool OnnxTranslator::gemm(const onnx::NodeProto& n) {
  if (n.input_size() < 2 || !is_activation(n.input(0))) return false;
  const Dims& a = dims(n.input(0), n);
  const Dims& b = dims(n.input(1), n);
  if (a.size() != 2 || b.size() != 2 || !sane(a) || !sane(b) || !sane(dims(n.output(0), n))) return false;
  const bool ta = int_attr(n, "transA", 0) != 0, tb = int_attr(n, "transB", 0) != 0;
  const int k = static_cast<int>(ta ? a[0] : a[1]), m = static_cast<int>(ta ? a[1] : a[0]);
  const int out = static_cast<int>(tb ? b[0] : b[1]);
  const Tensor x = values_.at(n.input(0)).t;
  if (is_activation(n.input(1))) {
    set(n.output(0), bmm(n, x, values_.at(n.input(1)).t, Dims{m, k}, dims(n.output(0), n)));
    return true;
  }
  if (n.input_size() > 2 && is_activation(n.input(2))) return false;
  Layer l;
  l.kind = LayerKind::linear;
  l.in = Shape{k, m, 1};
  l.out = Shape{out, m, 1};
  l.bias = n.input_size() > 2 && !n.input(2).empty();
  set(n.output(0), add(std::move(l), n, {x}, {x}, false, claim(n)));
  return true;
}

bool OnnxTranslator::matmul(const onnx::NodeProto& n) {
  if (n.input_size() != 2 || !is_activation(n.input(0))) return false;
  const Dims& a = dims(n.input(0), n);
  const Dims& y = dims(n.output(0), n);
  if (a.empty() || y.empty() || !sane(a) || !sane(y) || numel(a) > INT_MAX || numel(y) > INT_MAX) return false;
  const Tensor x = values_.at(n.input(0)).t;
  if (is_activation(n.input(1))) {
    set(n.output(0), bmm(n, x, values_.at(n.input(1)).t, a, y));
    return true;
  }
  const Dims& b = dims(n.input(1), n);
  if (b.size() != 2 || !sane(b) || static_cast<double>(a.back()) != static_cast<double>(b[0])) return false;
  // x W (+ bias): a Linear on 3-D input exports as MatMul then Add of the bias.
  Layer l;
  l.kind = LayerKind::linear;
  const int k = static_cast<int>(b[0]), out = static_cast<int>(b[1]);
  const int m = static_cast<int>(numel(a) / k);
  l.in = Shape{k, m, 1};
  l.out = Shape{out, m, 1};
  double weights = claim(n);
  std::string result = n.output(0);
  const auto next = consumer_node_.find(n.output(0));
  if (consumers_[n.output(0)] == 1 && next != consumer_node_.end() && g_.node(next->second).op_type() == "Add") {
    const onnx::NodeProto& plus = g_.node(next->second);
    const std::string& other = plus.input(0) == n.output(0) ? plus.input(1) : plus.input(0);
    const auto it = values_.find(other);
    if (it != values_.end() && !it->second.activation && it->second.params.size() == 1 &&
        param_numel_.count(it->second.params.front()) != 0 && param_numel_.at(it->second.params.front()) == out &&
        claimed_.count(it->second.params.front()) == 0) {
      claimed_.insert(it->second.params.front());
      weights += out;
      l.bias = true;
      fused_.insert(next->second);
      result = plus.output(0);
    }
  }
  const Tensor t = add(std::move(l), n, {x}, {x}, false, weights);
  set(n.output(0), t);
  set(result, t);
  return true;
}

void OnnxTranslator::binary(const onnx::NodeProto& n, const std::vector<Tensor>& acts, bool constant_operand) {
  const std::string& op = n.op_type();
  const Shape out = shape(n.output(0), n);
  const double weights = claim(n);
  const bool sum = op == "Add" || op == "Sub";
  if (sum && acts.size() == 2 && !constant_operand && acts[0].shape.elements() == out.elements() &&
      acts[1].shape.elements() == out.elements()) {
    Layer l;  // the zoo's residual add: backward passes dy through
    l.kind = LayerKind::add;
    l.in = l.out = out;
    set(n.output(0), add(std::move(l), n, acts, {}, false, weights));
    return;
  }
  // Operands that need a gradient (not those computed from the input alone, as a token model's mask)
  std::size_t grads = 0;
  bool broadcast = constant_operand && weights > 0;  // a trained operand's gradient is a reduction of dy
  for (const auto& t : acts) {
    if (!builder_->needs_grad(t)) continue;
    ++grads;
    broadcast = broadcast || t.shape.elements() < out.elements();
  }
  MemoryCost c;
  c.through_forward = true;
  if (sum) {
    c.kernels_backward = broadcast ? 1 : 0;
    c.passes_backward = broadcast ? 1 : 0;
    set(n.output(0), memory(n, acts, out, c, {}, false, weights));
    return;
  }
  // Mul, Div, Pow: each input gradient reads dy and the other operand and writes dx.
  c.kernels_backward = static_cast<int>(grads) + (broadcast ? 1 : 0);
  c.passes_backward = 3.0 * static_cast<double>(grads) + (broadcast ? 1 : 0);
  // x * c and x / c by a fixed constant (attention's 1 / sqrt(d)): dx = dy * c or dy / c, so autograd
  // keeps nothing of x; a product of activations, a trained operand or Pow keeps the inputs.
  const bool by_constant = constant_operand && weights == 0 && acts.size() == 1 && (op == "Mul" || op == "Div");
  set(n.output(0), memory(n, acts, out, c, by_constant ? std::vector<Tensor>{} : acts, false, weights));
}

void OnnxTranslator::translate(const onnx::NodeProto& n, std::map<std::string, int>& unmodelled) {
  const std::string& op = n.op_type();
  std::vector<Tensor> acts;
  bool constant_operand = false;
  for (const auto& in : n.input()) {
    if (is_activation(in)) {
      acts.push_back(values_.at(in).t);
    } else if (!in.empty()) {
      constant_operand = true;
    }
  }
  if (acts.empty() || kNoKernel.count(op) != 0) {  // constants in, constants out: no kernel
    Value v;
    for (const auto& in : n.input()) {
      const auto it = values_.find(in);
      if (it != values_.end() && !it->second.activation) {
        v.params.insert(v.params.end(), it->second.params.begin(), it->second.params.end());
      }
    }
    for (const auto& o : n.output()) values_[o] = v;
    return;
  }
  const Tensor x = acts.front();
  const auto out = [&] { return shape(n.output(0), n); };
  if (kViews.count(op) != 0 && is_activation(n.input(0))) {
    set(n.output(0), builder_->view(x, out()));
    return;
  }
  if (op == "Conv" && conv(n, false)) return;
  if (op == "ConvTranspose" && conv(n, true)) return;
  if (op == "Gemm" && gemm(n)) return;
  if (op == "MatMul" && matmul(n)) return;
  if (op == "BatchNormalization" && is_activation(n.input(0))) {
    Layer l;
    l.kind = LayerKind::batchnorm;
    l.in = l.out = out();
    set(n.output(0), add(std::move(l), n, {x}, {x}, false, claim(n)));  // backward needs x
    for (int i = 1; i < n.output_size(); ++i) values_[n.output(i)] = Value{};  // running statistics
    return;
  }
  if (op == "Relu") {
    // In place (torchvision's ReLU(inplace=True)) when nothing else reads its input.
    const bool in_place = x.id != builder_->image().id && consumers_[n.input(0)] == 1;
    set(n.output(0), builder_->relu(name_of(n), x, in_place));
    return;
  }
  if ((op == "Sigmoid" || op == "HardSigmoid") && is_activation(n.input(0)) && gated(n)) return;
  if (op == "Div" && is_activation(n.input(0)) && gelu(n)) return;
  if (op == "Mul" && n.input_size() == 2 && tanh_gelu(n)) return;
  if (op == "Sigmoid") {
    set(n.output(0), builder_->sigmoid(name_of(n), x));
    return;
  }
  if (op == "MaxPool" && n.output_size() >= 1) {
    Layer l;
    l.kind = LayerKind::maxpool;
    l.in = x.shape;
    l.out = out();
    const auto k = ints_attr(n, "kernel_shape");
    l.kernel = first_or(k, 1);
    l.kernel_w = k.size() > 1 ? static_cast<int>(k[1]) : l.kernel;
    l.stride = first_or(ints_attr(n, "strides"), 1);
    l.saved_extra_bytes = 8.0 * l.out.elements();  // int64 argmax indices
    set(n.output(0), add(std::move(l), n, {x}, {x}, false, claim(n)));
    for (int i = 1; i < n.output_size(); ++i) values_[n.output(i)] = Value{};
    return;
  }
  if (op == "GlobalAveragePool") {
    Layer l;
    l.kind = LayerKind::avgpool;
    l.in = x.shape;
    l.out = out();
    l.kernel = x.shape.h;
    set(n.output(0), add(std::move(l), n, {x}, {}, false, claim(n)));
    return;
  }
  if (op == "ReduceMean" && is_activation(n.input(0)) && layer_norm(n)) return;
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Pow") {
    binary(n, acts, constant_operand);
    return;
  }
  if ((op == "Concat" && !constant_operand && int_attr(n, "axis", 0) == 1 && dims(n.output(0), n).size() == 4) ||
      ((op == "Resize" || op == "Upsample") && dims(n.output(0), n).size() == 4 && out().c == x.shape.c &&
       out().h % x.shape.h == 0 && out().h / x.shape.h == out().w / x.shape.w && out().w % x.shape.w == 0)) {
    Layer l;
    l.kind = op == "Concat" ? LayerKind::concat : LayerKind::upsample;
    l.in = x.shape;
    l.out = out();
    l.kernel = l.out.h / l.in.h;
    set(n.output(0), add(std::move(l), n, op == "Concat" ? acts : std::vector<Tensor>{x}, {}, false, claim(n)));
    return;
  }
  MemoryCost c;
  std::vector<Tensor> saved;
  bool save_output = false;
  if (kUnary.count(op) != 0) {
    save_output = op == "Tanh" || op == "Exp";
    if (!save_output) saved = {x};
  } else if (op == "Softmax" || op == "LogSoftmax") {
    save_output = true;
  } else if (kNorms.count(op) != 0) {  // statistics and normalise passes, as BatchNorm
    c = MemoryCost{2, 3, false, 2, 5, false, 0};
    saved = {x};
  } else if (kCompare.count(op) != 0) {
    c.through_forward = true;
    c.kernels_backward = 0;
    c.passes_backward = 0;
    c.gradient = false;
  } else if (kReductions.count(op) != 0 || kCopies.count(op) != 0) {
    c.through_forward = c.through_backward = true;
    if (op == "Concat") c.kernels_backward = 0;  // dy's slices are views
  } else if (op == "Transpose") {
    c.passes_backward = 2;
  } else if (op == "Dropout") {
    c.passes_backward = 2;
    c.saved_bytes_per_element = 1;  // the bool mask
  } else if (op == "Gather") {
    c.passes_backward = 0;
    c.through_backward = true;  // zero-fill the input's gradient and scatter dy
  } else if (op == "Slice" || op == "Split") {
    // Views in PyTorch; backward zero-fills the input's gradient and copies each slice's in.
    for (int i = 0; i < n.output_size(); ++i) {
      if (n.output(i).empty()) continue;
      MemoryCost s{0, 0, false, 1, 0, true, 0};
      set(n.output(i), memory(n, {x}, shape(n.output(i), n), s, {}, false, i == 0 ? claim(n) : 0.0));
    }
    return;
  } else {
    // Not modelled: one memory-bound kernel over inputs and outputs, each way; listed, never dropped.
    ++unmodelled[op];
    c.through_forward = c.through_backward = true;
    const double weights = claim(n);
    for (int i = 0; i < n.output_size(); ++i) {
      if (n.output(i).empty()) continue;  // an optional output not produced
      set(n.output(i), memory(n, acts, shape(n.output(i), n), c, {}, false, i == 0 ? weights : 0.0));
    }
    return;
  }
  set(n.output(0), memory(n, acts, out(), c, saved, save_output, claim(n)));
  for (int i = 1; i < n.output_size(); ++i) values_[n.output(i)] = Value{};  // masks, statistics
}

}  // namespace trainsim::io
