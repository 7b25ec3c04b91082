#include "sim/import/onnx_fold.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

namespace trainsim::io {

namespace {

struct Ints {
  std::vector<std::int64_t> dims;
  std::vector<std::int64_t> v;
  int type = onnx::TensorProto_DataType_INT64;  // INT64, INT32 or BOOL, as the graph declares it
};

constexpr std::size_t kMaxFold = 1024;  // shape tensors are small; anything bigger is data

std::optional<Ints> from_tensor(const onnx::TensorProto& t) {
  if (t.data_type() != onnx::TensorProto_DataType_INT64 && t.data_type() != onnx::TensorProto_DataType_INT32 &&
      t.data_type() != onnx::TensorProto_DataType_BOOL) {
    return std::nullopt;
  }
  Ints r;
  r.type = t.data_type();
  std::size_t n = 1;
  for (auto d : t.dims()) {
    if (d < 0 || static_cast<std::size_t>(d) > kMaxFold) return std::nullopt;
    r.dims.push_back(d);
    n *= static_cast<std::size_t>(d);
  }
  if (n > kMaxFold) return std::nullopt;
  if (t.has_raw_data()) {
    const std::string& raw = t.raw_data();
    const std::size_t width = t.data_type() == onnx::TensorProto_DataType_INT64 ? 8 : t.data_type() == onnx::TensorProto_DataType_INT32 ? 4 : 1;
    if (raw.size() != n * width) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t x = 0;
      if (width == 8) {
        std::memcpy(&x, raw.data() + 8 * i, 8);
      } else if (width == 4) {
        std::int32_t y = 0;
        std::memcpy(&y, raw.data() + 4 * i, 4);
        x = y;
      } else {
        x = raw[i] != 0;
      }
      r.v.push_back(x);
    }
  } else if (t.data_type() == onnx::TensorProto_DataType_INT64) {
    r.v.assign(t.int64_data().begin(), t.int64_data().end());
  } else {
    r.v.assign(t.int32_data().begin(), t.int32_data().end());  // INT32 and BOOL
  }
  if (r.v.size() != n) return std::nullopt;
  return r;
}

const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::int64_t norm_axis(std::int64_t axis, std::size_t rank) { return axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis; }

// Element-wise with NumPy broadcasting restricted to equal sizes or a single element.
std::optional<Ints> zip(const Ints& a, const Ints& b, std::int64_t (*f)(std::int64_t, std::int64_t)) {
  if (a.v.empty() || b.v.empty()) return std::nullopt;
  if (a.v.size() != b.v.size() && a.v.size() != 1 && b.v.size() != 1) return std::nullopt;
  Ints r{a.v.size() >= b.v.size() ? a.dims : b.dims, {}, a.type};
  const std::size_t n = std::max(a.v.size(), b.v.size());
  for (std::size_t i = 0; i < n; ++i) r.v.push_back(f(a.v[a.v.size() == 1 ? 0 : i], b.v[b.v.size() == 1 ? 0 : i]));
  return r;
}

std::optional<Ints> eval(const onnx::NodeProto& n, const std::vector<const Ints*>& in,
                         const std::vector<std::int64_t>* input_dims) {
  const std::string& op = n.op_type();
  if (op == "Shape") {
    if (input_dims == nullptr) return std::nullopt;
    const auto rank = static_cast<std::int64_t>(input_dims->size());
    std::int64_t start = attr(n, "start") ? attr(n, "start")->i() : 0, end = attr(n, "end") ? attr(n, "end")->i() : rank;
    start = std::clamp(start < 0 ? start + rank : start, std::int64_t{0}, rank);
    end = std::clamp(end < 0 ? end + rank : end, std::int64_t{0}, rank);
    Ints r;
    for (auto i = start; i < end; ++i) r.v.push_back((*input_dims)[static_cast<std::size_t>(i)]);
    r.dims = {static_cast<std::int64_t>(r.v.size())};
    return r;
  }
  if (op == "Constant") {
    const auto* a = attr(n, "value");
    return a && a->has_t() ? from_tensor(a->t()) : std::nullopt;
  }
  for (const auto* x : in) {
    if (x == nullptr) return std::nullopt;
  }
  if (in.empty()) return std::nullopt;
  const Ints& a = *in[0];
  if (op == "ConstantOfShape") {
    const auto* va = attr(n, "value");
    if (va == nullptr || !va->has_t()) return std::nullopt;  // the default is a float 0
    const auto t = from_tensor(va->t());
    if (!t || t->v.size() != 1) return std::nullopt;
    const std::int64_t value = t->v[0];
    std::size_t count = 1;
    for (auto d : a.v) {
      if (d < 0 || static_cast<std::size_t>(d) > kMaxFold) return std::nullopt;
      count *= static_cast<std::size_t>(d);
      if (count > kMaxFold) return std::nullopt;
    }
    if (count > kMaxFold) return std::nullopt;
    return Ints{a.v, std::vector<std::int64_t>(count, value), t->type};
  }
  if (op == "Identity") return a;
  if (op == "Cast") {
    const auto* to = attr(n, "to");
    if (to == nullptr || (to->i() != onnx::TensorProto_DataType_INT64 && to->i() != onnx::TensorProto_DataType_INT32 &&
                          to->i() != onnx::TensorProto_DataType_BOOL)) {
      return std::nullopt;
    }
    Ints r = a;
    r.type = static_cast<int>(to->i());
    if (r.type == onnx::TensorProto_DataType_BOOL) {
      for (auto& x : r.v) x = x != 0;
    }
    return r;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    if (a.v.size() != 1 && !(a.dims.size() <= 1)) return std::nullopt;
    return op == "Unsqueeze" ? Ints{{static_cast<std::int64_t>(a.v.size())}, a.v, a.type} : Ints{{}, a.v, a.type};
  }
  if (op == "Reshape") {
    if (in.size() != 2 || in[1]->v.size() != 1 || (in[1]->v[0] != -1 && in[1]->v[0] != static_cast<std::int64_t>(a.v.size()))) {
      return std::nullopt;
    }
    return Ints{{static_cast<std::int64_t>(a.v.size())}, a.v, a.type};
  }
  if (op == "Concat") {
    Ints r;
    r.type = a.type;
    for (const auto* x : in) {
      if (x->dims.size() > 1) return std::nullopt;
      r.v.insert(r.v.end(), x->v.begin(), x->v.end());
    }
    r.dims = {static_cast<std::int64_t>(r.v.size())};
    return r;
  }
  if (op == "Gather") {
    if (in.size() != 2 || a.dims.size() != 1) return std::nullopt;
    Ints r{in[1]->dims, {}, a.type};
    for (auto i : in[1]->v) {
      const auto k = norm_axis(i, a.v.size());
      if (k < 0 || k >= static_cast<std::int64_t>(a.v.size())) return std::nullopt;
      r.v.push_back(a.v[static_cast<std::size_t>(k)]);
    }
    return r;
  }
  if (op == "Slice") {
    if (in.size() < 3 || a.dims.size() != 1 || in[1]->v.size() != 1 || in[2]->v.size() != 1) return std::nullopt;
    if (in.size() > 4 && (in[4]->v.size() != 1 || in[4]->v[0] != 1)) return std::nullopt;
    const auto size = static_cast<std::int64_t>(a.v.size());
    const auto s = std::clamp(norm_axis(in[1]->v[0], a.v.size()), std::int64_t{0}, size);
    const auto e = std::clamp(in[2]->v[0] < 0 ? in[2]->v[0] + size : in[2]->v[0], std::int64_t{0}, size);
    Ints r;
    r.type = a.type;
    for (auto i = s; i < e; ++i) r.v.push_back(a.v[static_cast<std::size_t>(i)]);
    r.dims = {static_cast<std::int64_t>(r.v.size())};
    return r;
  }
  if (in.size() == 2) {
    const Ints& b = *in[1];
    if (op == "Add") return zip(a, b, [](std::int64_t x, std::int64_t y) { return x + y; });
    if (op == "Sub") return zip(a, b, [](std::int64_t x, std::int64_t y) { return x - y; });
    if (op == "Mul") return zip(a, b, [](std::int64_t x, std::int64_t y) { return x * y; });
    if (op == "Div") return zip(a, b, [](std::int64_t x, std::int64_t y) { return y == 0 ? std::int64_t{0} : x / y; });
    if (op == "Equal") {
      auto r = zip(a, b, [](std::int64_t x, std::int64_t y) { return std::int64_t{x == y}; });
      if (r) r->type = onnx::TensorProto_DataType_BOOL;
      return r;
    }
  }
  if (op == "Where" && in.size() == 3) {
    const std::size_t size = std::max({a.v.size(), in[1]->v.size(), in[2]->v.size()});
    for (const auto* x : in) {
      if (x->v.empty() || (x->v.size() != size && x->v.size() != 1)) return std::nullopt;
    }
    Ints r{a.v.size() == size ? a.dims : in[1]->v.size() == size ? in[1]->dims : in[2]->dims, {}, in[1]->type};
    for (std::size_t i = 0; i < size; ++i) {
      const auto at = [&](const Ints* x) { return x->v[x->v.size() == 1 ? 0 : i]; };
      r.v.push_back(at(in[0]) != 0 ? at(in[1]) : at(in[2]));
    }
    return r;
  }
  return std::nullopt;
}

void to_constant(onnx::NodeProto& n, const Ints& value) {
  const std::string out = n.output(0);
  n.clear_input();
  n.clear_output();
  n.clear_attribute();
  n.set_op_type("Constant");
  n.set_domain("");
  n.add_output(out);
  auto* a = n.add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto_AttributeType_TENSOR);
  auto* t = a->mutable_t();
  t->set_data_type(value.type);
  for (auto d : value.dims) t->add_dims(d);
  for (auto x : value.v) {
    if (value.type == onnx::TensorProto_DataType_INT64) {
      t->add_int64_data(x);
    } else {
      t->add_int32_data(static_cast<std::int32_t>(x));  // INT32 and BOOL
    }
  }
}

// One pass in node order; returns whether a node became a Constant.
bool fold(onnx::GraphProto& g) {
  std::unordered_map<std::string, std::vector<std::int64_t>> shapes;
  const auto record = [&](const onnx::ValueInfoProto& v) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
    std::vector<std::int64_t> d;
    for (const auto& dim : v.type().tensor_type().shape().dim()) {
      if (!dim.has_dim_value()) return;
      d.push_back(dim.dim_value());
    }
    shapes[v.name()] = d;
  };
  for (const auto& v : g.input()) record(v);
  for (const auto& v : g.value_info()) record(v);
  std::unordered_map<std::string, Ints> known;
  for (const auto& t : g.initializer()) {
    if (auto v = from_tensor(t)) known[t.name()] = *v;
  }
  bool changed = false;
  for (auto& n : *g.mutable_node()) {
    if (n.output_size() != 1 || !(n.domain().empty() || n.domain() == "ai.onnx")) continue;
    std::vector<const Ints*> in;
    for (const auto& x : n.input()) {
      const auto it = known.find(x);
      in.push_back(it == known.end() ? nullptr : &it->second);
    }
    const auto dims_it = n.input_size() > 0 ? shapes.find(n.input(0)) : shapes.end();
    const auto v = eval(n, in, dims_it == shapes.end() ? nullptr : &dims_it->second);
    if (!v) continue;
    known[n.output(0)] = *v;
    if (n.op_type() != "Constant") {
      to_constant(n, *v);
      changed = true;
    }
  }
  return changed;
}

}  // namespace

void infer_shapes_folding(onnx::ModelProto& m, int rounds) {
  const onnx::ShapeInferenceOptions options{false, 1, true};
  for (int i = 0; i < rounds; ++i) {
    onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(), options);
    if (!fold(*m.mutable_graph())) return;
  }
}

}  // namespace trainsim::io
