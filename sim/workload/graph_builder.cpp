#include "sim/workload/graph_builder.hpp"

#include <algorithm>

#include "sim/util/error.hpp"

namespace trainsim {

namespace {

// PyTorch's output size for kernel k, stride s, padding k/2 (the only padding these models use).
int conv_out(int in, int kernel, int stride) { return (in + 2 * (kernel / 2) - kernel) / stride + 1; }

[[noreturn]] void bad_graph(const std::string& layer, const std::string& what) {
  throw RuntimeError("model graph: layer '" + layer + "': " + what);
}

bool same(const Shape& a, const Shape& b) { return a.c == b.c && a.h == b.h && a.w == b.w; }

}  // namespace

GraphBuilder::GraphBuilder(std::string name, int height, int width)
    : GraphBuilder(std::move(name), height, width, Shape{3, height, width}) {}

GraphBuilder::GraphBuilder(std::string name, int height, int width, Shape image) {
  graph_.name = std::move(name);
  graph_.height = height;
  graph_.width = width;
  image_ = make_tensor(image, -1);
}

Tensor GraphBuilder::make_tensor(Shape s, int producer, int storage) {
  if (s.c <= 0 || s.h <= 0 || s.w <= 0) {
    bad_graph(producer >= 0 ? graph_.layers[static_cast<std::size_t>(producer)].name : "image", "empty output shape");
  }
  if (storage < 0) {
    storage = static_cast<int>(saved_.size());
    saved_.push_back(false);
  }
  const bool grad = producer >= 0 && graph_.layers[static_cast<std::size_t>(producer)].backward;
  tensors_.push_back({s, storage, producer, 0, grad});
  return Tensor{static_cast<int>(tensors_.size()) - 1, s};
}

const GraphBuilder::TensorInfo& GraphBuilder::info(Tensor t) const {
  if (t.id < 0 || static_cast<std::size_t>(t.id) >= tensors_.size()) throw RuntimeError("model graph: unknown tensor");
  return tensors_[static_cast<std::size_t>(t.id)];
}

void GraphBuilder::read(Tensor t) {
  (void)info(t);  // checks the id
  ++tensors_[static_cast<std::size_t>(t.id)].consumers;
}

void GraphBuilder::keep(Layer& l, Tensor t) {
  if (!l.backward) return;  // nothing to keep for a backward that does not run
  const auto storage = static_cast<std::size_t>(info(t).storage);
  if (saved_[storage]) return;
  saved_[storage] = true;
  l.saved_elements += t.shape.elements();
}

Layer& GraphBuilder::push(Layer l, const std::vector<Tensor>& inputs) {
  l.in_elements = 0;
  bool grad = parameters(l) > 0;
  for (const auto& t : inputs) {
    read(t);
    l.in_elements += t.shape.elements();
    if (!info(t).grad) l.input_grad = false;
    grad = grad || info(t).grad;
  }
  l.backward = l.backward && grad;
  graph_.transient_elements = std::max(graph_.transient_elements, l.in_elements + l.out.elements());
  graph_.layers.push_back(std::move(l));
  return graph_.layers.back();
}

Tensor GraphBuilder::conv(const std::string& name, Tensor x, int out_channels, int kernel, int stride, bool bias) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::conv;
  l.in = x.shape;
  l.out = {out_channels, conv_out(x.shape.h, kernel, stride), conv_out(x.shape.w, kernel, stride)};
  l.kernel = kernel;
  l.stride = stride;
  l.bias = bias;
  keep(push(std::move(l), {x}), x);  // the weight gradient needs the input
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::deconv(const std::string& name, Tensor x, int out_channels, int factor, bool bias) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::deconv;
  l.in = x.shape;
  l.out = {out_channels, x.shape.h * factor, x.shape.w * factor};
  l.kernel = factor;
  l.stride = factor;
  l.bias = bias;
  keep(push(std::move(l), {x}), x);
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::linear(const std::string& name, Tensor x, int out_features, bool bias) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::linear;
  l.in = x.shape;
  l.out = {out_features, 1, 1};
  l.bias = bias;
  keep(push(std::move(l), {x}), x);
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::batchnorm(const std::string& name, Tensor x) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::batchnorm;
  l.in = l.out = x.shape;
  keep(push(std::move(l), {x}), x);  // backward needs x (and the batch statistics, negligible)
  return make_tensor(x.shape, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::relu(const std::string& name, Tensor x, bool in_place) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::relu;
  l.in = l.out = x.shape;
  Layer& pushed = push(std::move(l), {x});
  const Tensor y = make_tensor(x.shape, static_cast<int>(graph_.layers.size()) - 1, in_place ? info(x).storage : -1);
  keep(pushed, y);  // backward needs the output (its sign)
  return y;
}

Tensor GraphBuilder::sigmoid(const std::string& name, Tensor x) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::sigmoid;
  l.in = l.out = x.shape;
  Layer& pushed = push(std::move(l), {x});
  const Tensor y = make_tensor(x.shape, static_cast<int>(graph_.layers.size()) - 1);
  keep(pushed, y);  // d sigmoid = y (1 - y)
  return y;
}

Tensor GraphBuilder::maxpool(const std::string& name, Tensor x, int kernel, int stride) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::maxpool;
  l.in = x.shape;
  l.out = {x.shape.c, conv_out(x.shape.h, kernel, stride), conv_out(x.shape.w, kernel, stride)};
  l.kernel = kernel;
  l.stride = stride;
  l.saved_extra_bytes = 8.0 * l.out.elements();  // int64 argmax indices
  keep(push(std::move(l), {x}), x);
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::global_avgpool(const std::string& name, Tensor x) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::avgpool;
  l.in = x.shape;
  l.out = {x.shape.c, 1, 1};
  l.kernel = x.shape.h;
  push(std::move(l), {x});
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::add(const std::string& name, Tensor a, Tensor b) {
  if (!same(a.shape, b.shape)) bad_graph(name, "adds tensors of different shapes");
  Layer l;
  l.name = name;
  l.kind = LayerKind::add;
  l.in = l.out = a.shape;
  push(std::move(l), {a, b});
  return make_tensor(a.shape, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::upsample(const std::string& name, Tensor x, int factor) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::upsample;
  l.in = x.shape;
  l.out = {x.shape.c, x.shape.h * factor, x.shape.w * factor};
  l.kernel = factor;
  push(std::move(l), {x});
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::concat(const std::string& name, const std::vector<Tensor>& xs) {
  if (xs.empty()) bad_graph(name, "concatenates nothing");
  Layer l;
  l.name = name;
  l.kind = LayerKind::concat;
  l.in = xs.front().shape;
  l.out = {0, l.in.h, l.in.w};
  for (const auto& x : xs) {
    if (x.shape.h != l.in.h || x.shape.w != l.in.w) bad_graph(name, "concatenates maps of different sizes");
    l.out.c += x.shape.c;
  }
  push(std::move(l), xs);
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

Tensor GraphBuilder::elementwise(const std::string& name, const std::vector<Tensor>& inputs, int kernels,
                                 double passes_forward, double passes_backward, double saved) {
  if (inputs.empty()) bad_graph(name, "has no input");
  Layer l;
  l.name = name;
  l.kind = LayerKind::elementwise;
  l.in = l.out = inputs.front().shape;
  l.kernels_forward = l.kernels_backward = kernels;
  l.passes_forward = passes_forward;
  l.passes_backward = passes_backward;
  l.saved_elements = saved * l.out.elements();  // intermediates of the chain, each its own storage
  push(std::move(l), inputs);
  return make_tensor(graph_.layers.back().out, static_cast<int>(graph_.layers.size()) - 1);
}

void GraphBuilder::loss(const std::string& name, const std::vector<Tensor>& predictions, int kernels,
                        double passes_forward, double passes_backward) {
  if (predictions.empty()) bad_graph(name, "has no prediction");
  Layer l;
  l.name = name;
  l.kind = LayerKind::loss;
  l.in = predictions.front().shape;
  l.out = {1, 1, 1};
  l.kernels_forward = l.kernels_backward = kernels;
  l.passes_forward = passes_forward;
  l.passes_backward = passes_backward;
  Layer& pushed = push(std::move(l), predictions);
  for (const auto& p : predictions) keep(pushed, p);
}

Tensor GraphBuilder::layer(Layer l, const std::vector<Tensor>& inputs, const std::vector<Tensor>& saved,
                           bool save_output, const Tensor* alias) {
  const Shape out = l.out;
  Layer& pushed = push(std::move(l), inputs);
  for (const auto& t : saved) keep(pushed, t);
  const Tensor y = make_tensor(out, static_cast<int>(graph_.layers.size()) - 1, alias ? info(*alias).storage : -1);
  if (save_output) keep(graph_.layers.back(), y);
  return y;
}

Tensor GraphBuilder::view(Tensor x, Shape s) {
  (void)info(x);  // checks the id
  if (s.elements() != x.shape.elements()) bad_graph("view", "changes the number of elements");
  // The same tensor under another shape: its readers are x's readers (gradients sum at x).
  return Tensor{x.id, s};
}

Tensor GraphBuilder::conv_bn(const std::string& name, Tensor x, int out_channels, int kernel, int stride,
                             bool with_relu) {
  Tensor y = batchnorm(name + ".bn", conv(name, x, out_channels, kernel, stride));
  return with_relu ? relu(name + ".relu", y) : y;
}

ModelGraph GraphBuilder::finish(Bytes input_bytes_per_sample) && {
  for (const auto& t : tensors_) {
    if (t.producer >= 0 && t.consumers > 1 && t.grad) {
      graph_.layers[static_cast<std::size_t>(t.producer)].extra_consumers += t.consumers - 1;
    }
  }
  graph_.input_bytes_per_sample = input_bytes_per_sample;
  return std::move(graph_);
}

}  // namespace trainsim
