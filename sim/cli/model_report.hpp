// What `trainsim model` prints: one profile as text or JSON, and a table across GPUs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/util/json.hpp"
#include "sim/workload/compute_profile.hpp"

namespace trainsim::cli {

struct Calibration {
  double factor = 1.0;
  double measured_s = 0;   // the measured iteration
  std::string gpu;         // where it was measured
  int batch = 0;
};

struct ModelReport {
  const ModelGraph* graph = nullptr;
  ComputeProfile profile;                // uncalibrated
  std::optional<ComputeProfile> calibrated;
  int max_batch = 0;
  std::string gpu_display;
};

[[nodiscard]] std::string render_text(const ModelReport& r, const std::optional<Calibration>& cal, int top);
[[nodiscard]] Json render_json(const ModelReport& r, const std::optional<Calibration>& cal, int top);
[[nodiscard]] std::string render_gpu_table(const std::vector<ModelReport>& reports, const std::optional<Calibration>& cal);

}  // namespace trainsim::cli
