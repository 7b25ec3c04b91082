// The validation tables behind `trainsim validate`; each in its own file.
#pragma once

#include <string>

namespace trainsim::cli {

struct ValidateOptions {
  std::string reference_dir;  // holds allreduce.csv and training-throughput.csv
  bool json = false;
  bool reference_is_default = false;  // --reference not given
  std::string onnx_dir;               // --onnx: the NAME.onnx exports of --models rows (empty: not run)
};

int validate_collectives(const ValidateOptions& opt);  // validate_collectives.cpp
int validate_single_gpu(const ValidateOptions& opt);   // validate_single_gpu.cpp
int validate_scaling(const ValidateOptions& opt);      // validate_scaling.cpp
int validate_models(const ValidateOptions& opt);       // validate_models.cpp

}  // namespace trainsim::cli
