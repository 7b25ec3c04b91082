// trainsim validate --single-gpu: predicted single-GPU ResNet-50 training throughput beside the
// published gpus = 1 rows of training-throughput.csv, row by row, and the OCR campaign's own
// measurement (DBNet HRNet-W44, 1024 px, batch 4, amp on one RTX 3090: ~450 ms per iteration).
#include <algorithm>
#include <cmath>
#include <iostream>

#include "sim/cli/validate.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/throughput_reference.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/stats.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/compute_profile.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::cli {

namespace {

// ocr-campaign.md: "HRNet-W44 DBNet at 1024 px, batch 4: about 450 ms per iteration, 8.9 images/s"
// on one RTX 3090 with amp. The report does not name its optimizer or memory format; DB's own
// configuration trains with SGD and PyTorch's default NCHW.
struct OcrCase {
  const char* model = "dbnet-hrnet-w44";
  int image_px = 1024;
  int batch = 4;
  Precision precision = Precision::amp;
  const char* gpu = "rtx3090";
  double measured_s = 0.450;
};

struct Result {
  io::ThroughputRow row;
  ComputeProfile profile;
  double predicted = 0;  // images/s
  double error = 0;      // (predicted - published) / published
  bool fits = true;
};

Result predict(const io::ThroughputRow& row, const Catalog& catalog) {
  const GpuSpec& gpu = catalog.gpu(row.gpu, row.where, "gpu");
  const ModelGraph g = build_model(row.model, row.image_px, row.image_px);
  ProfileOptions opt;
  opt.channels_last = row.channels_last;
  opt.check_memory = false;  // a batch the benchmark ran but the model says does not fit is reported, not fatal
  Result r{row, profile_model(g, gpu, catalog.generation_of(gpu), row.precision, row.batch_per_gpu, row.optimizer, 1.0, opt)};
  r.predicted = r.profile.images_per_s();
  r.error = (r.predicted - row.images_per_s) / row.images_per_s;
  r.fits = r.profile.memory.total() <= r.profile.memory_capacity;
  return r;
}

std::string percent(double x) { return (x >= 0 ? "+" : "") + fixed(100 * x, 1) + " %"; }

}  // namespace

int validate_single_gpu(const ValidateOptions& opt) {
  const Catalog& catalog = io::default_catalog();
  std::vector<Result> results;
  bool setups_known = true;
  for (const auto& row : io::load_training_throughput(opt.reference_dir)) {
    if (row.gpus != 1) continue;
    results.push_back(predict(row, catalog));
    setups_known = setups_known && row.setup_known;
  }
  std::vector<double> abs_errors;
  for (const auto& r : results) abs_errors.push_back(std::fabs(r.error));
  const double med = median(abs_errors);
  const double worst = abs_errors.empty() ? 0 : *std::max_element(abs_errors.begin(), abs_errors.end());

  const OcrCase ocr;
  const GpuSpec& ocr_gpu = catalog.gpu(ocr.gpu);
  const ComputeProfile ocr_prof =
      profile_model(build_model(ocr.model, ocr.image_px, ocr.image_px), ocr_gpu, catalog.generation_of(ocr_gpu),
                    ocr.precision, ocr.batch, Optimizer::sgd);
  const double ocr_error = (ocr_prof.iteration_s() - ocr.measured_s) / ocr.measured_s;

  if (opt.json) {
    Json out = Json::object();
    Json rows = Json::array();
    for (const auto& r : results) {
      Json j = Json::object();
      j["source"] = r.row.source;
      j["model"] = r.row.model;
      j["gpu"] = r.row.gpu;
      j["precision"] = std::string(to_string(r.row.precision));
      j["memory_format"] = r.row.channels_last ? "nhwc" : "nchw";
      j["batch"] = r.row.batch_per_gpu;
      j["data"] = r.row.data;
      j["published_images_per_s"] = r.row.images_per_s;
      j["predicted_images_per_s"] = r.predicted;
      j["error"] = r.error;
      j["fits_in_memory"] = r.fits;
      rows.push_back(j);
    }
    out["rows"] = rows;
    Json summary = Json::object();
    summary["rows"] = static_cast<int>(results.size());
    summary["median_abs_error"] = med;
    summary["worst_abs_error"] = worst;
    out["summary"] = summary;
    Json o = Json::object();
    o["model"] = ocr.model;
    o["image_px"] = ocr.image_px;
    o["batch"] = ocr.batch;
    o["precision"] = std::string(to_string(ocr.precision));
    o["gpu"] = ocr.gpu;
    o["measured_iteration_s"] = ocr.measured_s;
    o["predicted_iteration_s"] = ocr_prof.iteration_s();
    o["predicted_images_per_s"] = ocr_prof.images_per_s();
    o["error"] = ocr_error;
    out["ocr_case"] = o;
    std::cout << out.dump() << "\n";
    return 0;
  }

  // The default folder is shown relative to the data folder, so that the text does not depend on the checkout.
  const std::string shown_dir =
      opt.reference_dir == io::data_dir() + "/platforms/reference" ? "platforms/reference" : opt.reference_dir;
  std::cout << "Single-GPU ResNet-50 training throughput, trainsim (compute model) vs published (" << shown_dir
            << "/training-throughput.csv, gpus = 1).\n"
               "Compute only: 'real' rows (DLE) also load and decode ImageNet, which this table does not model.\n\n";
  io::Table t({"source", "gpu", "precision", "format", "batch", "data", "published img/s", "predicted img/s", "error"},
              {io::Table::Align::left, io::Table::Align::left, io::Table::Align::left, io::Table::Align::left,
               io::Table::Align::right, io::Table::Align::left, io::Table::Align::right, io::Table::Align::right,
               io::Table::Align::right});
  for (const auto& r : results) {
    t.add({r.row.source, r.row.gpu, std::string(to_string(r.row.precision)), r.row.channels_last ? "nhwc" : "nchw",
           std::to_string(r.row.batch_per_gpu) + (r.fits ? "" : " (!)"), r.row.data, fixed(r.row.images_per_s, 0),
           fixed(r.predicted, 0), percent(r.error)});
  }
  std::cout << t.render() << "\nmedian |error| " << fixed(100 * med, 1) << " %, worst " << fixed(100 * worst, 1) << " % over "
            << results.size() << " rows (goal: median <= 10 %, worst <= 20 %).\n";
  if (!setups_known) std::cout << "Note: no training-setups.csv entry for some rows: NCHW and SGD assumed.\n";
  for (const auto& r : results) {
    if (!r.fits) {
      std::cout << "(!) " << r.row.gpu << " batch " << r.row.batch_per_gpu << ": the memory model says it does not fit: "
                << describe(r.profile.memory, r.profile.memory_capacity) << "\n";
    }
  }
  std::cout << "\nOCR case (ocr-campaign.md): " << ocr.model << ", " << ocr.image_px << " px, batch " << ocr.batch << ", "
            << to_string(ocr.precision) << ", SGD, NCHW, on " << ocr.gpu << ": measured ~" << fixed(1000 * ocr.measured_s, 0)
            << " ms per iteration (" << fixed(ocr.batch / ocr.measured_s, 1) << " img/s, real data); predicted "
            << fixed(1000 * ocr_prof.iteration_s(), 0) << " ms (" << fixed(ocr_prof.images_per_s(), 1) << " img/s), error "
            << percent(ocr_error) << ".\n";
  return 0;
}

}  // namespace trainsim::cli
