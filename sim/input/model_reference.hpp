// The published single-GPU training throughput of models other than ResNet-50 alone
// (platforms/reference/model-throughput.csv): one row per model, GPU, precision, memory format and
// batch as the source ran it. '#' lines are comments (the file names its sources there); columns
// are found by their header names. Every value is checked here, with the file, line and column.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/hw/precision.hpp"
#include "sim/model/training_memory.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

inline constexpr const char* kModelThroughputFile = "model-throughput.csv";

struct ModelThroughputRow {
  std::string source;
  std::string model;            // a model of the zoo, or NAME.onnx (a file looked up in a folder of exports)
  std::string published_model;  // the source's own name for it
  std::string gpu;              // catalog name
  Precision precision = Precision::amp;
  bool channels_last = false;  // memory_format nhwc
  Optimizer optimizer = Optimizer::sgd;
  int batch = 1;
  int image_px = 224;
  std::string data;           // synthetic or real
  double images_per_s = 0;    // published
  SourceLocation where;       // the row (its model cell)

  [[nodiscard]] bool onnx() const;
};

// Reads `path`: the CSV file itself, or a folder holding model-throughput.csv. A GPU outside
// `catalog`, a model that is neither of the zoo nor NAME.onnx, or an image side the zoo model
// cannot take is an InputError at its cell.
[[nodiscard]] std::vector<ModelThroughputRow> load_model_throughput(const std::string& path, const Catalog& catalog);
// The same from the file's text (`file` names it in errors).
[[nodiscard]] std::vector<ModelThroughputRow> parse_model_throughput(const std::string& text, const std::string& file,
                                                                     const Catalog& catalog);

}  // namespace trainsim::io
