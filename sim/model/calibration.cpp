#include "sim/model/calibration.hpp"

#include <cmath>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace trainsim {

double calibration_factor(Seconds measured, Seconds predicted) {
  if (!(measured > 0) || !std::isfinite(measured)) {
    throw InputError({}, "calibration.measured_s", format_double(measured), "a measured iteration time > 0");
  }
  if (!(predicted > 0) || !std::isfinite(predicted)) {
    throw InputError({}, "calibration.predicted_s", format_double(predicted), "a predicted iteration time > 0");
  }
  return measured / predicted;
}

}  // namespace trainsim
