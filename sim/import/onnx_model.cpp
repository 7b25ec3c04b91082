#include "sim/import/onnx_model.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "sim/import/onnx_fold.hpp"
#include "sim/import/onnx_graph.hpp"
#include "sim/util/error.hpp"
#include "sim/util/sha256.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

constexpr std::uintmax_t kMaxOnnxBytes = 2'000'000'000;  // protobuf's 2 GB message limit

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError({path}, "", path, "an ONNX file (a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "", path, std::string("a readable ONNX file (") + std::strerror(errno) + ")");
  std::string bytes;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxOnnxBytes) throw InputError({path}, "", path, "an ONNX file under 2 GB (protobuf's limit)");
  }
  if (in.bad()) throw InputError({path}, "", path, "a readable ONNX file (read error)");
  return bytes;
}

// The opset of the default domain, checked against what this ONNX library reads.
long long default_opset(const onnx::ModelProto& m, const std::string& file) {
  const int newest = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(onnx::ONNX_DOMAIN).second;
  long long opset = 0;
  for (const auto& o : m.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  }
  if (opset == 0) throw InputError({file}, "opset_import", "none", "an ONNX model that imports the default opset");
  if (opset > newest) {
    throw InputError({file}, "opset_import", std::to_string(opset),
                     "an opset this ONNX library reads (up to " + std::to_string(newest) +
                         "): export with opset_version=" + std::to_string(newest) + " or lower");
  }
  return opset;
}

// A symbolic (or absent) first dimension of an input is the batch: it becomes 1 wherever it
// appears (the exporter's value_info names it too), so that every shape is static. Shapes the
// exporter recorded stay: ONNX inference cannot follow every shape computation (an expand of a
// class token to the batch), the tracer could.
void fix_batch(onnx::GraphProto& g) {
  std::set<std::string> batch;
  for (auto& in : *g.mutable_input()) {
    if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) continue;
    auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() == 0 || shape->dim(0).has_dim_value()) continue;
    if (!shape->dim(0).dim_param().empty()) batch.insert(shape->dim(0).dim_param());
    shape->mutable_dim(0)->set_dim_value(1);
  }
  const auto fix = [&](onnx::ValueInfoProto& v) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
    for (auto& d : *v.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) {
      if (d.has_dim_param() && batch.count(d.dim_param()) != 0) d.set_dim_value(1);
    }
  };
  for (auto& v : *g.mutable_value_info()) fix(v);
  for (auto& v : *g.mutable_output()) fix(v);
}

// ONNX 1.12's shape inference divides by strides, dilations, kernel sizes and groups without
// checking them (a zero stride is a SIGFPE inside libonnx, found by fuzz_onnx): refuse them first.
void check_attributes(const onnx::GraphProto& g, const std::string& file) {
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& n = g.node(i);
    for (const auto& a : n.attribute()) {
      const bool positive_ints = a.name() == "strides" || a.name() == "dilations" || a.name() == "kernel_shape";
      const bool positive_int = a.name() == "group";
      bool bad = positive_int && a.has_i() && a.i() < 1;
      for (auto v : a.ints()) bad = bad || (positive_ints && v < 1);
      if (bad) {
        throw InputError({file}, "node '" + (n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name()) + "' (" +
                                     n.op_type() + ")",
                         a.name(), "strides, dilations, kernel sizes and groups of 1 or more");
      }
    }
  }
}

std::string stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

}  // namespace

bool is_onnx_path(const std::string& model) {
  std::string lower = model;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ends_with(lower, ".onnx");
}

ImportedModel parse_onnx_model(const std::string& bytes, const std::string& file) {
  if (bytes.empty()) throw InputError({file}, "", "0 bytes", "an ONNX model (the file is empty)");
  onnx::ModelProto m;
  if (!m.ParseFromString(bytes) || !m.has_graph()) {
    throw InputError({file}, "", std::to_string(bytes.size()) + " bytes",
                     "an ONNX ModelProto (not ONNX, or truncated: protobuf cannot parse it)");
  }
  ImportedModel out;
  out.file = file;
  out.opset = default_opset(m, file);
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception& e) {
    throw InputError({file}, "", "", std::string("a valid ONNX model: the checker says: ") + first_line(e.what()));
  }
  // Only the weights' shapes matter from here on: dropping their data makes each round of shape
  // inference cheap (ViT-B/16: 330 MB of weights).
  for (auto& t : *m.mutable_graph()->mutable_initializer()) {
    if (t.data_type() == onnx::TensorProto_DataType_INT64 || t.data_type() == onnx::TensorProto_DataType_INT32) continue;
    t.clear_raw_data();
    t.clear_float_data();
    t.clear_double_data();
    t.clear_int32_data();  // fp16/bf16 payloads
  }
  check_attributes(m.graph(), file);
  fix_batch(*m.mutable_graph());
  try {
    infer_shapes_folding(m);
  } catch (const std::exception& e) {
    throw InputError({file}, "", "", std::string("a graph ONNX shape inference accepts: ") + first_line(e.what()));
  }
  GraphTranslation t = translate_onnx_graph(m.graph(), stem(file), file);
  out.graph = std::move(t.graph);
  out.unmodelled = std::move(t.unmodelled);
  out.folded_batchnorm = t.folded_batchnorm;
  out.nodes = m.graph().node_size();
  out.sha256 = sha256_hex(bytes);
  return out;
}

ImportedModel load_onnx_model(const std::string& path) { return parse_onnx_model(read_file(path), path); }

std::string folded_warning(const ImportedModel& m) {
  if (!m.folded_batchnorm) return {};
  return m.file + ": no BatchNormalization and a bias on every convolution: this looks like an eval-mode export "
                  "with BatchNorm folded into the convolutions, a different network from the one trained; export with "
                  "training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False";
}

}  // namespace trainsim::io
