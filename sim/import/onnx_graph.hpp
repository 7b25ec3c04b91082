// The operator-by-operator translation of an inferred ONNX graph into a ModelGraph
// (onnx_graph.cpp). Internal to the ONNX reader: it includes the ONNX protobuf headers.
#pragma once

#include <map>
#include <string>

#include <onnx/onnx_pb.h>

#include "sim/workload/model_graph.hpp"

namespace trainsim::io {

struct GraphTranslation {
  ModelGraph graph;
  std::map<std::string, int> unmodelled;
  bool folded_batchnorm = false;
};

// `graph` has gone through shape inference at batch 1. Throws InputError(file, node name, ...).
[[nodiscard]] GraphTranslation translate_onnx_graph(const onnx::GraphProto& graph, const std::string& name,
                                                    const std::string& file);

}  // namespace trainsim::io
