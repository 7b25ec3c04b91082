// The translator behind translate_onnx_graph: the value table (which tensors are activations,
// which constants carry which trainable initializers) and one handler per operator family
// (onnx_ops.cpp). Internal to the ONNX reader.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <onnx/onnx_pb.h>

#include "sim/import/onnx_graph.hpp"
#include "sim/workload/graph_builder.hpp"

namespace trainsim::io {

using Dims = std::vector<std::int64_t>;

[[nodiscard]] inline double numel(const Dims& d) {
  double n = 1;
  for (auto x : d) n *= static_cast<double>(x);
  return n;
}

// An element-wise layer's kernels and passes over its output's elements; "through" is one read of
// every input and one write of the output.
struct MemoryCost {
  int kernels_forward = 1;
  double passes_forward = 2;
  bool through_forward = false;
  int kernels_backward = 1;
  double passes_backward = 3;
  bool through_backward = false;
  double saved_bytes_per_element = 0;  // Dropout's bool mask
  bool gradient = true;                 // false: a boolean result (a comparison), through which no gradient flows
};

class OnnxTranslator {
 public:
  OnnxTranslator(const onnx::GraphProto& g, std::string file);
  [[nodiscard]] GraphTranslation run(const std::string& name);

 private:
  struct Value {
    bool activation = false;
    Tensor t;
    std::vector<std::string> params;  // trainable initializers behind a constant
    bool channels_last = false;       // a 4-D activation with NHWC strides (mark_layout)
  };

  void translate(const onnx::NodeProto& n, std::map<std::string, int>& unmodelled);
  void mark_layout(const onnx::NodeProto& n);  // after translate: the memory format of the output
  bool conv(const onnx::NodeProto& n, bool transposed);
  bool gemm(const onnx::NodeProto& n);
  bool matmul(const onnx::NodeProto& n);
  // Chains of exported operators PyTorch runs as one kernel (onnx_fusions.cpp):
  bool layer_norm(const onnx::NodeProto& n);  // the ReduceMean/Sub/Pow/Sqrt/Div pattern of opset < 17
  bool gated(const onnx::NodeProto& n);       // x * Sigmoid(x) (SiLU), x * HardSigmoid(x) (Hardswish, opset < 14)
  bool gelu(const onnx::NodeProto& n);        // x * (Erf(x / sqrt 2) + 1) * 0.5: F.gelu below opset 20
  bool tanh_gelu(const onnx::NodeProto& n);   // torch's GELU with approximate='tanh'
  [[nodiscard]] int reader(const std::string& tensor, const std::string& op, std::size_t readers) const;
  [[nodiscard]] const std::string& other_operand(int node, const std::string& mine) const;
  [[nodiscard]] bool by_constant(int node, const std::string& mine) const;
  Tensor bmm(const onnx::NodeProto& n, Tensor a, Tensor b, const Dims& a_dims, const Dims& y_dims);
  void binary(const onnx::NodeProto& n, const std::vector<Tensor>& acts, bool constant_operand);

  [[nodiscard]] std::string node_key(const onnx::NodeProto& n, int index) const;
  [[nodiscard]] std::string name_of(const onnx::NodeProto& n) const;
  [[nodiscard]] const Dims& dims(const std::string& tensor, const onnx::NodeProto& n) const;
  [[nodiscard]] Shape shape(const std::string& tensor, const onnx::NodeProto& n) const;
  [[nodiscard]] bool is_activation(const std::string& tensor) const;
  double claim(const onnx::NodeProto& n);  // the node's not yet claimed trainable initializers
  Tensor add(Layer l, const onnx::NodeProto& n, const std::vector<Tensor>& inputs, const std::vector<Tensor>& saved,
             bool save_output, double weights, const Tensor* alias = nullptr);
  Tensor memory(const onnx::NodeProto& n, const std::vector<Tensor>& inputs, Shape out, const MemoryCost& cost,
                const std::vector<Tensor>& saved, bool save_output, double weights, const Tensor* alias = nullptr);
  void set(const std::string& name, Tensor t);

  const onnx::GraphProto& g_;
  std::string file_;
  std::unique_ptr<GraphBuilder> builder_;
  std::unordered_map<std::string, Dims> shapes_;
  std::unordered_map<std::string, Value> values_;
  std::unordered_map<std::string, int> consumers_;      // readers of each tensor (graph outputs count)
  std::unordered_map<std::string, int> consumer_node_;  // the last node that reads it
  std::unordered_map<std::string, std::vector<int>> readers_;  // every node that reads it
  std::set<std::string> buffers_;                       // BatchNorm running statistics
  std::map<std::string, double> param_numel_;           // trainable initializers
  std::set<std::string> claimed_;
  std::set<int> fused_;                                 // nodes folded into an earlier node's layer
  int current_ = 0;
};

}  // namespace trainsim::io
