// Calibration from one measurement: a workload measured at T_meas seconds per iteration on one GPU,
// where the model predicts T_pred, gets the multiplier
//   c = T_meas / T_pred
// which then scales every kernel time of that workload on every GPU. It absorbs what the model
// does not see (data-loader stalls, framework overhead, kernels slower than the roofline) on the
// assumption that those scale like the compute; the uncalibrated prediction stays beside it.
#pragma once

#include "sim/hw/units.hpp"

namespace trainsim {

// Throws InputError when either time is not a positive finite number.
[[nodiscard]] double calibration_factor(Seconds measured, Seconds predicted);

}  // namespace trainsim
