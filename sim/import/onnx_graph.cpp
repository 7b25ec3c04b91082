// Each ONNX node becomes the layer(s) the zoo would write for it (docs/models.md lists them):
// convolutions and matmuls with their weights, BatchNorm, ReLU and pooling as the zoo costs them,
// views (Reshape, Flatten, Squeeze, ...) as no layer at all, the other element-wise operators as
// memory-bound kernel chains, and operators this reader does not know as one memory-bound kernel
// over their inputs and outputs, counted in `unmodelled`. Tensors computed from constants only
// (shape arithmetic, a transposed weight) are not activations: they cost nothing and carry the
// trainable initializers they come from to the layer that uses them.
#include "sim/import/onnx_graph.hpp"

#include <climits>
#include <set>
#include <unordered_map>

#include "sim/import/onnx_ops.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

namespace {

bool is_float(int type) {
  return type == onnx::TensorProto_DataType_FLOAT || type == onnx::TensorProto_DataType_FLOAT16 ||
         type == onnx::TensorProto_DataType_BFLOAT16 || type == onnx::TensorProto_DataType_DOUBLE;
}

}  // namespace

OnnxTranslator::OnnxTranslator(const onnx::GraphProto& g, std::string file) : g_(g), file_(std::move(file)) {
  const auto record = [&](const onnx::ValueInfoProto& v) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
    Dims d;
    for (const auto& dim : v.type().tensor_type().shape().dim()) {
      if (!dim.has_dim_value()) return;  // not static: looked up (and refused) only if needed
      d.push_back(dim.dim_value());
    }
    shapes_[v.name()] = d;
  };
  for (const auto& v : g.input()) record(v);
  for (const auto& v : g.value_info()) record(v);
  for (const auto& v : g.output()) record(v);
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& n = g.node(i);
    if (n.op_type() == "BatchNormalization") {
      for (int k = 3; k < n.input_size(); ++k) buffers_.insert(n.input(k));  // running mean and variance
    }
    for (const auto& in : n.input()) {
      ++consumers_[in];
      consumer_node_[in] = i;
      readers_[in].push_back(i);
    }
  }
  for (const auto& o : g.output()) ++consumers_[o.name()];
  for (const auto& t : g.initializer()) {
    Dims d(t.dims().begin(), t.dims().end());
    shapes_[t.name()] = d;
    Value v;
    if (is_float(t.data_type()) && buffers_.count(t.name()) == 0) {
      v.params.push_back(t.name());
      param_numel_[t.name()] = numel(d);
    }
    values_[t.name()] = v;
  }
}

std::string OnnxTranslator::node_key(const onnx::NodeProto& n, int index) const {
  return "node '" + (n.name().empty() ? n.op_type() + "_" + std::to_string(index) : n.name()) + "' (" + n.op_type() + ")";
}

const Dims& OnnxTranslator::dims(const std::string& tensor, const onnx::NodeProto& n) const {
  const auto it = shapes_.find(tensor);
  if (it == shapes_.end()) {
    throw InputError({file_}, node_key(n, current_), tensor,
                     "a tensor with a static shape after ONNX shape inference (export with fixed input sizes)");
  }
  return it->second;
}

Shape OnnxTranslator::shape(const std::string& tensor, const onnx::NodeProto& n) const {
  const Dims& d = dims(tensor, n);
  double c = 1, h = 1, w = 1;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d[i] <= 0) throw InputError({file_}, node_key(n, current_), tensor, "a tensor with elements (a dimension is 0)");
    const double x = static_cast<double>(d[i]);
    if (d.size() == 1 || i == 1) {
      c = x;
    } else if (i == 0 || i == 2) {
      h *= x;  // a leading dimension other than the batch of 1 folds into H
    } else {
      w *= x;
    }
  }
  if (c > INT_MAX || h > INT_MAX || w > INT_MAX) {
    throw InputError({file_}, node_key(n, current_), tensor, "a tensor under 2^31 elements per axis");
  }
  return Shape{static_cast<int>(c), static_cast<int>(h), static_cast<int>(w)};
}

double OnnxTranslator::claim(const onnx::NodeProto& n) {
  double sum = 0;
  for (const auto& in : n.input()) {
    const auto it = values_.find(in);
    if (in.empty() || it == values_.end() || it->second.activation) continue;
    for (const auto& p : it->second.params) {
      if (claimed_.insert(p).second) sum += param_numel_.at(p);
    }
  }
  return sum;
}

Tensor OnnxTranslator::add(Layer l, const onnx::NodeProto& n, const std::vector<Tensor>& inputs,
                           const std::vector<Tensor>& saved, bool save_output, double weights, const Tensor* alias) {
  l.name = name_of(n);
  const double implied = parameters(l);
  if (weights < implied - 0.5) {
    throw InputError({file_}, node_key(n, current_), std::to_string(static_cast<long long>(weights)) + " weights",
                     "the " + std::to_string(static_cast<long long>(implied)) + " weights its shapes imply");
  }
  l.extra_params = weights - implied;
  return builder_->layer(std::move(l), inputs, saved, save_output, alias);
}

std::string OnnxTranslator::name_of(const onnx::NodeProto& n) const {
  return n.name().empty() ? n.op_type() + "_" + std::to_string(current_) : n.name();
}

Tensor OnnxTranslator::memory(const onnx::NodeProto& n, const std::vector<Tensor>& inputs, Shape out,
                              const MemoryCost& cost, const std::vector<Tensor>& saved, bool save_output, double weights,
                              const Tensor* alias) {
  Layer l;
  l.kind = LayerKind::elementwise;
  l.in = inputs.empty() ? out : inputs.front().shape;
  l.out = out;
  double in = 0;
  for (const auto& t : inputs) in += t.shape.elements();
  const double through = (in + out.elements()) / out.elements();  // passes of one read of everything and one write
  l.kernels_forward = cost.kernels_forward;
  l.kernels_backward = cost.kernels_backward;
  l.passes_forward = cost.through_forward ? through : cost.passes_forward;
  l.passes_backward = cost.through_backward ? through : cost.passes_backward;
  l.saved_extra_bytes = cost.saved_bytes_per_element * out.elements();
  l.backward = cost.gradient;
  return add(std::move(l), n, inputs, saved, save_output, weights, alias);
}

void OnnxTranslator::set(const std::string& name, Tensor t) {
  Value v;
  v.activation = true;
  v.t = t;
  values_[name] = v;
}

GraphTranslation OnnxTranslator::run(const std::string& name) {
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& in : g_.input()) {
    if (values_.count(in.name()) == 0) inputs.push_back(&in);  // not an initializer
  }
  if (inputs.size() != 1) {
    throw InputError({file_}, "graph.input", std::to_string(inputs.size()) + " inputs",
                     "a graph with one input tensor (the image or the token batch)");
  }
  const std::string& input = inputs.front()->name();
  onnx::NodeProto graph_input;
  graph_input.set_name("graph input " + input);
  const Dims& in_dims = dims(input, graph_input);
  const Shape image = shape(input, graph_input);
  const int h = in_dims.size() >= 3 ? static_cast<int>(in_dims[2]) : 1;
  const int w = in_dims.size() >= 4 ? static_cast<int>(in_dims[3]) : 1;
  builder_ = std::make_unique<GraphBuilder>(name, h, w, image);
  set(input, builder_->image());

  GraphTranslation out;
  int norms = 0, conv = 0, conv_bias = 0;
  for (current_ = 0; current_ < g_.node_size(); ++current_) {
    const onnx::NodeProto& n = g_.node(current_);
    if (n.op_type() == "BatchNormalization" || n.op_type() == "LayerNormalization" ||
        n.op_type() == "InstanceNormalization" || n.op_type() == "GroupNormalization" || n.op_type() == "ReduceMean") {
      ++norms;
    }
    if (n.op_type() == "Conv") {
      ++conv;
      if (n.input_size() > 2 && !n.input(2).empty()) ++conv_bias;
    }
    if (fused_.count(current_) != 0) continue;
    try {
      translate(n, out.unmodelled);
      mark_layout(n);
    } catch (const RuntimeError& e) {
      throw InputError({file_}, node_key(n, current_), "", std::string("a node trainsim can build: ") + e.what());
    }
  }
  std::vector<Tensor> predictions;
  for (const auto& o : g_.output()) {
    const auto it = values_.find(o.name());
    if (it != values_.end() && it->second.activation) predictions.push_back(it->second.t);
  }
  if (predictions.empty()) {
    throw InputError({file_}, "graph.output", "", "a graph output computed from the input (the prediction)");
  }
  // The classifier's loss of the zoo: log_softmax and nll_loss over the predictions, each way.
  builder_->loss("loss", predictions, 2, 3, 3);
  // A [batch, tokens] input of integers is a token model (BERT's input_ids): its sequence length.
  const auto elem = inputs.front()->type().tensor_type().elem_type();
  const bool tokens = in_dims.size() == 2 && (elem == onnx::TensorProto_DataType_INT64 || elem == onnx::TensorProto_DataType_INT32);
  // Host-to-device bytes of a sample: fp32 image or int64 token ids, and an int64 label
  out.graph = std::move(*builder_).finish((tokens ? 8.0 : 4.0) * image.elements() + 8.0);
  if (tokens) out.graph.tokens = static_cast<int>(in_dims[1]);
  // Trainable initializers that reach no layer (used only through constants) still train.
  double left = 0;
  for (const auto& [p, count] : param_numel_) {
    if (claimed_.count(p) == 0 && consumers_.count(p) != 0) left += count;
  }
  out.graph.layers.back().extra_params += left;
  // Eval-mode exports fold BatchNorm into the convolutions: no normalisation left and a bias on
  // every convolution. A network built that way on purpose reads the same; it is a warning.
  out.folded_batchnorm = norms == 0 && conv >= 2 && conv_bias == conv;
  return out;
}

GraphTranslation translate_onnx_graph(const onnx::GraphProto& graph, const std::string& name, const std::string& file) {
  OnnxTranslator t(graph, file);
  return t.run(name);
}

}  // namespace trainsim::io
