// Leave-one-GPU-out error: how a prediction fares on a GPU when whatever is fitted to reference
// rows is fitted without that GPU's rows. The compute model itself fits nothing to these rows
// (platforms/gpus.yaml: every constant from specifications and microbenchmarks), so its own
// leave-one-GPU-out error is its plain error. What can be fitted is a throughput calibration: one
// factor c = exp(mean ln(published / predicted)) over the rows. Here c is fitted, for each GPU,
// on the rows of every other GPU and applied to this GPU's rows; the result says whether such a
// calibration would carry to a GPU it has not seen, or only fit the ones it has.
#pragma once

#include <string>
#include <vector>

namespace trainsim::validation {

struct LogoInput {
  std::string gpu;
  double predicted = 0;  // > 0
  double published = 0;  // > 0
};

struct LogoRow {
  double factor = 1;  // fitted on the other GPUs' rows (1 when no other GPU has rows)
  double error = 0;   // (factor x predicted - published) / published
};

struct LogoSummary {
  std::vector<LogoRow> rows;  // in the order of the input
  double median_abs_error = 0, worst_abs_error = 0;
  double min_factor = 1, max_factor = 1;
};

[[nodiscard]] LogoSummary leave_one_gpu_out(const std::vector<LogoInput>& rows);

}  // namespace trainsim::validation
