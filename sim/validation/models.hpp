// Validation of the compute model on other models than ResNet-50 alone: predicted single-GPU
// training throughput beside the published rows of model-throughput.csv (ResNet-18 to -101,
// HRNet-W18/32/44 classifiers, and torchvision models read from ONNX exports). Pure: the CLI
// prints what these return.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/catalog.hpp"
#include "sim/input/model_reference.hpp"
#include "sim/validation/leave_one_out.hpp"
#include "sim/workload/compute_profile.hpp"

namespace trainsim::validation {

struct ModelRow {
  io::ModelThroughputRow row;
  bool run = false;
  std::string not_run;  // why not, when !run (an ONNX row without its file)
  std::string model_file;  // the ONNX file read, for NAME.onnx rows that ran
  long long params = 0;
  ComputeProfile profile;
  double predicted = 0;  // images/s
  double error = 0;      // (predicted - published) / published
  bool fits = true;
};

struct ModelValidation {
  std::vector<ModelRow> rows;  // every row of the file, run or not, in its order
  int run_rows = 0;
  double median_abs_error = 0, worst_abs_error = 0;
  // Leave-one-model-out over the rows that ran (leave_one_out.hpp, keyed by model instead of GPU):
  // one throughput factor fitted on the other models' rows, applied to this model's. Most rows
  // share one GPU, so this asks whether a calibration carries to a model it has not seen.
  LogoSummary lomo;  // rows in the order of the rows that ran
};

// `reference` is model-throughput.csv or a folder holding it; `onnx_dir` the folder with the
// NAME.onnx exports (empty: those rows are not run).
[[nodiscard]] ModelValidation validate_models(const std::string& reference, const std::string& onnx_dir,
                                              const Catalog& catalog);

}  // namespace trainsim::validation
