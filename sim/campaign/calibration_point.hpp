// A campaign's one calibration point: an iteration time measured on one GPU for one workload. The
// compute model predicts the same iteration; c = measured / predicted (sim/model/calibration.hpp)
// then multiplies every kernel time of that model in every stage and on every platform.
#pragma once

#include <string>

#include "sim/hw/catalog.hpp"
#include "sim/model/training_memory.hpp"

namespace trainsim::campaign {

struct CalibrationPoint {
  std::string gpu;    // catalog name
  std::string model;  // zoo name
  int height_px = 0;
  int width_px = 0;
  int batch = 1;
  Precision precision = Precision::amp;
  Optimizer optimizer = Optimizer::sgd;
  bool channels_last = false;
  Seconds measured = 0;  // one iteration
  std::string source;    // where the measurement comes from
  SourceLocation where;
};

struct Calibration {
  CalibrationPoint point;
  Seconds predicted = 0;  // the compute model's iteration (forward + backward + optimizer)
  double factor = 1;
};

// Throws InputError (at point.where) for an unknown GPU or model, or a precision the GPU lacks.
// Memory is not checked: the measurement ran.
[[nodiscard]] Calibration calibrate(const CalibrationPoint& point, const Catalog& catalog);

}  // namespace trainsim::campaign
