#include "sim/campaign/calibration_point.hpp"

#include "sim/model/calibration.hpp"
#include "sim/workload/compute_profile.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::campaign {

Calibration calibrate(const CalibrationPoint& point, const Catalog& catalog) {
  try {
    const GpuSpec& gpu = catalog.gpu(point.gpu, point.where, "calibration.gpu");
    const ModelGraph g = build_model(point.model, point.height_px, point.width_px);
    ProfileOptions options;
    options.channels_last = point.channels_last;
    options.check_memory = false;
    const ComputeProfile p = profile_model(g, gpu, catalog.generation_of(gpu), point.precision, point.batch,
                                           point.optimizer, 1.0, options);
    Calibration c{point, p.iteration_s(), 1.0};
    c.factor = calibration_factor(point.measured, c.predicted);
    return c;
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    throw InputError(point.where, "calibration." + e.key(), e.value(), e.expected());
  }
}

}  // namespace trainsim::campaign
