// Operator chains torch.onnx writes for what eager PyTorch runs as one kernel (layer norm below opset
// 17, SiLU and Hardswish, GELU and its tanh approximation), recognised so that each is charged as
// PyTorch runs it: one layer, its first node's translation; the other nodes of the chain are fused.
#include "sim/import/onnx_ops.hpp"

namespace trainsim::io {

// The other operand of binary node `i` beside `mine`; `mine` itself when the node is not binary, so
// that no pattern matches through it.
const std::string& OnnxTranslator::other_operand(int i, const std::string& mine) const {
  const auto& m = g_.node(i);
  if (m.input_size() != 2) return mine;
  return m.input(0) == mine ? m.input(1) : m.input(0);
}

// Node `i` exists, is binary and takes a constant beside `mine` (x * c, x + c).
bool OnnxTranslator::by_constant(int i, const std::string& mine) const {
  return i >= 0 && g_.node(i).input_size() == 2 && !is_activation(other_operand(i, mine));
}

// The node of type `op` among the `readers` nodes (exactly) that read `tensor`; -1 if none.
int OnnxTranslator::reader(const std::string& tensor, const std::string& op, std::size_t readers) const {
  const auto it = readers_.find(tensor);
  const auto c = consumers_.find(tensor);
  if (it == readers_.end() || it->second.size() != readers || c == consumers_.end() ||
      c->second != static_cast<int>(readers)) {
    return -1;
  }
  for (int i : it->second) {
    if (g_.node(i).op_type() == op) return i;
  }
  return -1;
}

// torch's layer_norm below opset 17: mean = ReduceMean(x); d = x - mean; var = ReduceMean(d^2);
// y = d / Sqrt(var + eps) (then * weight + bias). One normalisation layer, as LayerNormalization.
bool OnnxTranslator::layer_norm(const onnx::NodeProto& n) {
  const std::string& x = n.input(0);
  const int sub = reader(n.output(0), "Sub", 1);
  if (sub < 0 || g_.node(sub).input(0) != x || g_.node(sub).input(1) != n.output(0)) return false;
  const std::string& d = g_.node(sub).output(0);
  const int pow = reader(d, "Pow", 2), div = reader(d, "Div", 2);
  if (pow < 0 || div < 0 || g_.node(div).input(0) != d) return false;
  const int mean2 = reader(g_.node(pow).output(0), "ReduceMean", 1);
  const int eps = mean2 < 0 ? -1 : reader(g_.node(mean2).output(0), "Add", 1);
  const int root = eps < 0 ? -1 : reader(g_.node(eps).output(0), "Sqrt", 1);
  if (root < 0 || reader(g_.node(root).output(0), "Div", 1) != div) return false;
  std::vector<int> nodes{sub, pow, mean2, eps, root, div};
  std::string y = g_.node(div).output(0);
  for (const char* affine : {"Mul", "Add"}) {
    const int i = reader(y, affine, 1);
    if (!by_constant(i, y)) break;
    nodes.push_back(i);
    y = g_.node(i).output(0);
  }
  double weights = claim(n);
  for (int i : nodes) {
    weights += claim(g_.node(i));
    fused_.insert(i);
  }
  const MemoryCost c{2, 3, false, 2, 5, false, 0};
  const Tensor in = values_.at(x).t;
  set(y, memory(n, {in}, shape(y, n), c, {in}, false, weights));
  return true;
}

// torch.onnx exports nn.SiLU as Mul(x, Sigmoid(x)) (symbolic_opset9.silu) and nn.Hardswish below opset
// 14 as Mul(x, HardSigmoid(x)) (symbolic_opset9.hardswish); eager PyTorch runs each as ONE kernel
// (silu / hardswish: read x, write y) and one backward kernel (silu_backward / hardswish_backward:
// read dy and the saved x, write dx). Charged as two layers they would cost 5 passes and 2 kernels
// forward, 9 passes and 3 kernels backward, plus a gradient sum for x read twice, and keep x and
// the gate alive. One element-wise layer, x saved.
bool OnnxTranslator::gated(const onnx::NodeProto& n) {
  const std::string& x = n.input(0);
  const int mul = reader(n.output(0), "Mul", 1);
  if (mul < 0) return false;
  const onnx::NodeProto& m = g_.node(mul);
  if (m.input_size() != 2 || !((m.input(0) == x && m.input(1) == n.output(0)) ||
                               (m.input(1) == x && m.input(0) == n.output(0)))) {
    return false;
  }
  const double weights = claim(n) + claim(m);
  fused_.insert(mul);
  const Tensor in = values_.at(x).t;
  set(m.output(0), memory(n, {in}, shape(m.output(0), m), MemoryCost{}, {in}, false, weights));
  return true;
}

// torch.onnx exports F.gelu (approximate='none') below opset 20 as Div(x, sqrt 2) -> Erf -> Add 1 ->
// Mul x -> Mul 0.5 (symbolic_opset9.gelu); eager PyTorch runs ONE kernel each way (gelu: read x, write
// y; gelu_backward: read dy and the saved x, write dx). Charged operator by operator it would be five
// forward kernels and their backward, with x and the intermediates kept. One element-wise layer, x
// saved, as the Gelu operator of opset 20.
bool OnnxTranslator::gelu(const onnx::NodeProto& n) {
  const std::string& x = n.input(0);
  if (n.input_size() != 2 || is_activation(n.input(1))) return false;
  const int erf = reader(n.output(0), "Erf", 1);
  const int plus = erf < 0 ? -1 : reader(g_.node(erf).output(0), "Add", 1);
  const int times_x = plus < 0 ? -1 : reader(g_.node(plus).output(0), "Mul", 1);
  if (times_x < 0) return false;
  if (!by_constant(plus, g_.node(erf).output(0)) || other_operand(times_x, g_.node(plus).output(0)) != x) return false;
  const int half = reader(g_.node(times_x).output(0), "Mul", 1);
  if (!by_constant(half, g_.node(times_x).output(0))) return false;
  double weights = claim(n);
  for (int i : {erf, plus, times_x, half}) {
    weights += claim(g_.node(i));
    fused_.insert(i);
  }
  const Tensor in = values_.at(x).t;
  const std::string& y = g_.node(half).output(0);
  set(y, memory(n, {in}, shape(y, n), MemoryCost{}, {in}, false, weights));
  return true;
}

// GELU's tanh approximation, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as torch 1.13 exports
// F.gelu(approximate='tanh'): Mul(x, x), Mul(x, .), Mul c, Add x, Mul c, Tanh, Add 1, Mul x, Mul 0.5.
// Eager PyTorch runs one gelu kernel each way: one element-wise layer, x saved, as the exact GELU. The
// same formula written out in Python (Hugging Face's NewGELUActivation: Pow(x, 3), ...) runs each
// operator as its own kernel in eager PyTorch and stays operator by operator. `n` is the chain's
// first node, Mul(x, x).
bool OnnxTranslator::tanh_gelu(const onnx::NodeProto& n) {
  if (n.input(0) != n.input(1) || !is_activation(n.input(0))) return false;
  const std::string& x = n.input(0);
  const int cube = reader(n.output(0), "Mul", 1);
  if (cube < 0 || other_operand(cube, n.output(0)) != x) return false;
  std::vector<int> nodes{current_, cube};
  const int kc = reader(g_.node(cube).output(0), "Mul", 1);
  if (!by_constant(kc, g_.node(cube).output(0))) return false;
  const int sum = reader(g_.node(kc).output(0), "Add", 1);
  if (sum < 0 || other_operand(sum, g_.node(kc).output(0)) != x) return false;
  const int inner = reader(g_.node(sum).output(0), "Mul", 1);
  if (!by_constant(inner, g_.node(sum).output(0))) return false;
  const int th = reader(g_.node(inner).output(0), "Tanh", 1);
  const int plus = th < 0 ? -1 : reader(g_.node(th).output(0), "Add", 1);
  if (!by_constant(plus, g_.node(th).output(0))) return false;
  const int last = reader(g_.node(plus).output(0), "Mul", 1);
  if (last < 0 || other_operand(last, g_.node(plus).output(0)) != x) return false;
  const int y = reader(g_.node(last).output(0), "Mul", 1);
  if (!by_constant(y, g_.node(last).output(0))) return false;
  nodes.insert(nodes.end(), {kc, sum, inner, th, plus, last, y});
  double weights = 0;
  for (int i : nodes) {
    weights += claim(g_.node(i));
    if (i != current_) fused_.insert(i);
  }
  const Tensor in = values_.at(x).t;
  const std::string& out = g_.node(y).output(0);
  set(out, memory(n, {in}, shape(out, n), MemoryCost{}, {in}, false, weights));
  return true;
}

}  // namespace trainsim::io
