// Training workloads from ONNX graphs (docs/models.md): reads a ModelProto exported by
// torch.onnx.export, checks it, runs ONNX shape inference at batch 1 and builds the same layer
// graph the zoo builds, so kernels, roofline, memory and the engine are unchanged. Parameters are
// the trainable initializers (BatchNorm's running statistics are buffers). No ONNX header leaks out
// of this reader.
#pragma once

#include <map>
#include <string>

#include "sim/workload/model_graph.hpp"

namespace trainsim::io {

struct ImportedModel {
  ModelGraph graph;
  std::string file;
  std::string sha256;                     // of the file's bytes: part of a sweep's identity
  long long opset = 0;
  int nodes = 0;
  std::map<std::string, int> unmodelled;  // operator -> nodes costed as a memory-bound kernel
  bool folded_batchnorm = false;          // looks like an eval-mode export (BatchNorm folded away)
};

// Whether a workload.model / MODEL names an ONNX file rather than a model of the zoo.
[[nodiscard]] bool is_onnx_path(const std::string& model);

// Reads `path`. Throws InputError naming the file (and the node) for a file that is not ONNX, is
// truncated or empty, has an opset newer than this library reads, or has a tensor whose shape
// shape inference cannot make static.
[[nodiscard]] ImportedModel load_onnx_model(const std::string& path);
// The same from bytes already read (the fuzz target); `file` names them in errors.
[[nodiscard]] ImportedModel parse_onnx_model(const std::string& bytes, const std::string& file);

// The one-line warning for a folded graph, empty when none.
[[nodiscard]] std::string folded_warning(const ImportedModel& m);

}  // namespace trainsim::io
