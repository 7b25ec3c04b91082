// Command-line arguments that name a model and how it trains (MODEL or --model, --image-px,
// --precision, --optimizer), shared by `trainsim model` and `trainsim profile --model`.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sim/cli/args.hpp"
#include "sim/hw/precision.hpp"
#include "sim/import/onnx_model.hpp"
#include "sim/model/training_memory.hpp"
#include "sim/workload/model_graph.hpp"

namespace trainsim::cli {

// "1024" (square) or "1024,768" (height,width); errors name --image-px (usage errors start with
// "trainsim COMMAND: ").
[[nodiscard]] std::pair<int, int> parse_image_px(const std::string& text, const std::string& model,
                                                 const std::string& command);

// A zoo model at h x w px; errors name `model_key` (MODEL or --model) or --image-px.
[[nodiscard]] ModelGraph build_zoo_model(const std::string& model, int h, int w, const std::string& model_key);

// The model named by `model` (a zoo name or an ONNX file) at --image-px (zoo models only; the
// default is 224, DBNet 640). `onnx` receives the import when it is a file.
[[nodiscard]] ModelGraph model_from_args(const Args& args, const std::string& command, const std::string& model,
                                         const std::string& model_key, std::optional<io::ImportedModel>& onnx);

[[nodiscard]] Precision precision_of(const Args& args);
[[nodiscard]] Optimizer optimizer_of(const Args& args);

}  // namespace trainsim::cli
