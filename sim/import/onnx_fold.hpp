// Folds the integer shape arithmetic of an exported graph (Shape, Gather, Concat, Equal, Where,
// ConstantOfShape, ...) into Constant nodes, between rounds of ONNX shape inference, until every
// shape is static. ONNX 1.12's data propagation stops at Equal/Where, which torch emits for
// `expand(n, -1, -1)` (ViT's class token) and for reshapes that keep a dimension. Internal to the
// ONNX reader.
#pragma once

#include <onnx/onnx_pb.h>

namespace trainsim::io {

// Runs shape inference (data propagation on) and folding in turns, at most `rounds` times.
void infer_shapes_folding(onnx::ModelProto& m, int rounds = 64);

}  // namespace trainsim::io
