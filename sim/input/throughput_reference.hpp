// The published training-throughput table (platforms/reference/training-throughput.csv) and how
// each source ran its benchmark (training-setups.csv beside it). '#' lines are comments; columns
// are found by their header names, so added columns do not break the reader.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/hw/precision.hpp"
#include "sim/model/training_memory.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

struct ThroughputRow {
  std::string source, model, gpu, data;
  int image_px = 0;
  Precision precision = Precision::amp;
  int gpus = 1;
  int batch_per_gpu = 1;
  double images_per_s = 0;  // the whole job
  // Optional column `measured`: the month of the measurement, YYYY-MM (the software it ran is of
  // that time); empty where the file has no such column or the source does not say.
  std::string measured;
  // From the setups file (defaults: NCHW, SGD):
  bool channels_last = false;
  Optimizer optimizer = Optimizer::sgd;
  bool setup_known = false;
  SourceLocation where;
};

// Reads `dir`/training-throughput.csv and, when present, `dir`/training-setups.csv. Errors name
// the file, the line and the column.
[[nodiscard]] std::vector<ThroughputRow> load_training_throughput(const std::string& dir);
// The same from the files' text (`file` and `setups_file` name them in errors); no setups: nullopt.
[[nodiscard]] std::vector<ThroughputRow> parse_training_throughput(const std::string& text, const std::string& file,
                                                                   const std::optional<std::string>& setups_text,
                                                                   const std::string& setups_file);

}  // namespace trainsim::io
