// Builds a ModelGraph the way a PyTorch forward runs: each call appends one layer, computes its
// output shape and returns the output tensor. The builder tracks tensors so that what autograd
// keeps for backward is counted once per storage (an in-place ReLU shares its input's storage,
// and a tensor saved by two layers is one tensor), and so that a tensor read by several layers
// gets its gradient sums in backward.
#pragma once

#include <string>
#include <vector>

#include "sim/workload/model_graph.hpp"

namespace trainsim {

struct Tensor {
  int id = -1;
  Shape shape;
};

class GraphBuilder {
 public:
  GraphBuilder(std::string name, int height, int width);
  // An image of any shape (imported graphs).
  GraphBuilder(std::string name, int height, int width, Shape image);

  [[nodiscard]] Tensor image() const { return image_; }
  [[nodiscard]] bool needs_grad(Tensor t) const { return info(t).grad; }

  Tensor conv(const std::string& name, Tensor x, int out_channels, int kernel, int stride = 1, bool bias = false);
  Tensor deconv(const std::string& name, Tensor x, int out_channels, int factor, bool bias = true);
  Tensor linear(const std::string& name, Tensor x, int out_features, bool bias = true);
  Tensor batchnorm(const std::string& name, Tensor x);
  Tensor relu(const std::string& name, Tensor x, bool in_place = true);
  Tensor sigmoid(const std::string& name, Tensor x);
  Tensor maxpool(const std::string& name, Tensor x, int kernel, int stride);
  Tensor global_avgpool(const std::string& name, Tensor x);
  Tensor add(const std::string& name, Tensor a, Tensor b);
  Tensor upsample(const std::string& name, Tensor x, int factor);
  Tensor concat(const std::string& name, const std::vector<Tensor>& xs);
  // A chain of `kernels` element-wise kernels producing one tensor of `inputs[0]`'s shape, reading
  // and writing `passes` times its elements; it keeps `saved` times its elements for backward.
  Tensor elementwise(const std::string& name, const std::vector<Tensor>& inputs, int kernels, double passes_forward,
                     double passes_backward, double saved);
  // The loss over `predictions` (fp32 under autocast): `kernels` kernels each way over the
  // predictions' elements `passes` times.
  void loss(const std::string& name, const std::vector<Tensor>& predictions, int kernels, double passes_forward,
            double passes_backward);

  // Any layer, its output shape already set in `l` (imported graphs): reads `inputs`, keeps `saved`
  // (and its own output when `save_output`) for backward. The output shares `alias`'s storage
  // when given (an in-place operator).
  Tensor layer(Layer l, const std::vector<Tensor>& inputs, const std::vector<Tensor>& saved, bool save_output,
               const Tensor* alias = nullptr);
  // A view of x with another shape (reshape, flatten, squeeze): no layer, the same storage.
  Tensor view(Tensor x, Shape s);

  // conv -> batchnorm (-> in-place ReLU): the unit every model here is made of.
  Tensor conv_bn(const std::string& name, Tensor x, int out_channels, int kernel, int stride, bool with_relu);

  // Completes the bookkeeping (gradient sums at forks, transient size) and hands the graph over.
  [[nodiscard]] ModelGraph finish(Bytes input_bytes_per_sample) &&;

 private:
  struct TensorInfo {
    Shape shape;
    int storage = -1;   // index into saved_ (tensors that share memory share it)
    int producer = -1;  // layer index; -1 for the image
    int consumers = 0;
    bool grad = false;  // autograd would compute its gradient: the output of a layer with a backward
  };

  Tensor make_tensor(Shape s, int producer, int storage = -1);
  void read(Tensor t);
  void keep(Layer& l, Tensor t);  // autograd saves t for l's backward
  Layer& push(Layer l, const std::vector<Tensor>& inputs);
  [[nodiscard]] const TensorInfo& info(Tensor t) const;

  ModelGraph graph_;
  std::vector<TensorInfo> tensors_;
  std::vector<bool> saved_;  // per storage
  Tensor image_;
};

}  // namespace trainsim
