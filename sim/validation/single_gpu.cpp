#include "sim/validation/single_gpu.hpp"

#include <algorithm>
#include <cmath>

#include "sim/util/stats.hpp"
#include "sim/validation/row_node.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::validation {

std::string range_key(const io::ThroughputRow& r) {
  return r.model + "/" + std::to_string(r.image_px) + "/" + std::string(to_string(r.precision)) + "/" + r.gpu + "/" +
         std::to_string(r.gpus) + "/" + (r.channels_last ? "nhwc" : "nchw") + "/" + std::string(to_string(r.optimizer));
}

SingleGpuRow predict_single_gpu(const io::ThroughputRow& row, const Catalog& catalog) {
  const GpuSpec& gpu = catalog.gpu(row.gpu, row.where, "gpu");
  const ModelGraph g = build_model(row.model, row.image_px, row.image_px);
  ProfileOptions opt;
  opt.channels_last = row.channels_last;
  opt.check_memory = false;  // a batch the benchmark ran but the model says does not fit is reported, not fatal
  SingleGpuRow r{row, profile_model(g, gpu, catalog.generation_of(gpu), row.precision, row.batch_per_gpu, row.optimizer, 1.0, opt)};
  r.predicted = r.profile.images_per_s();
  r.error = (r.predicted - row.images_per_s) / row.images_per_s;
  r.fits = r.profile.memory.total() <= r.profile.memory_capacity;
  return r;
}

SingleGpuValidation validate_single_gpu(const std::string& reference_dir, const Catalog& catalog) {
  SingleGpuValidation v;
  const auto all = io::load_training_throughput(reference_dir);
  check_gpus(all, catalog);
  for (const auto& row : all) {
    if (row.gpus != 1) continue;
    v.rows.push_back(predict_single_gpu(row, catalog));
    v.setups_known = v.setups_known && row.setup_known;
  }
  std::vector<double> abs_errors;
  for (const auto& r : v.rows) abs_errors.push_back(std::fabs(r.error));
  v.median_abs_error = median(abs_errors);
  v.worst_abs_error = abs_errors.empty() ? 0 : *std::max_element(abs_errors.begin(), abs_errors.end());
  std::vector<LogoInput> logo;
  for (const auto& r : v.rows) logo.push_back({r.row.gpu, r.predicted, r.row.images_per_s});
  v.logo = leave_one_gpu_out(logo);
  std::vector<RangeInput> ranges;
  for (const auto& r : v.rows) ranges.push_back({range_key(r.row), r.predicted, r.row.images_per_s});
  v.ranges = against_ranges(ranges);

  const OcrCase& ocr = v.ocr;
  const GpuSpec& ocr_gpu = catalog.gpu(ocr.gpu);
  v.ocr_profile = profile_model(build_model(ocr.model, ocr.image_px, ocr.image_px), ocr_gpu, catalog.generation_of(ocr_gpu),
                                ocr.precision, ocr.batch, Optimizer::sgd);
  v.ocr_error = (v.ocr_profile.iteration_s() - ocr.measured_s) / ocr.measured_s;
  return v;
}

}  // namespace trainsim::validation
