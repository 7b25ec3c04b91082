// trainsim validate --single-gpu: predicted single-GPU ResNet-50 training throughput beside the
// published gpus = 1 rows of training-throughput.csv, row by row, and the OCR campaign's own
// measurement (sim/validation/single_gpu.hpp computes them; this prints them).
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/validate.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/validation/single_gpu.hpp"

namespace trainsim::cli {

namespace {

std::string percent(double x) { return (x >= 0 ? "+" : "") + fixed(100 * x, 1) + " %"; }

}  // namespace

int validate_single_gpu(const ValidateOptions& opt) {
  const validation::SingleGpuValidation v = validation::validate_single_gpu(opt.reference_dir, io::default_catalog());
  const auto& results = v.rows;
  const bool setups_known = v.setups_known;
  const double med = v.median_abs_error;
  const double worst = v.worst_abs_error;
  const validation::OcrCase& ocr = v.ocr;
  const ComputeProfile& ocr_prof = v.ocr_profile;
  const double ocr_error = v.ocr_error;

  if (opt.json) {
    Json out = Json::object();
    Json rows = Json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      Json j = Json::object();
      j["source"] = r.row.source;
      j["model"] = r.row.model;
      j["gpu"] = r.row.gpu;
      j["precision"] = std::string(to_string(r.row.precision));
      j["memory_format"] = r.row.channels_last ? "nhwc" : "nchw";
      j["batch"] = r.row.batch_per_gpu;
      j["data"] = r.row.data;
      j["measured"] = r.row.measured;
      j["published_images_per_s"] = r.row.images_per_s;
      j["predicted_images_per_s"] = r.predicted;
      j["error"] = r.error;
      j["fits_in_memory"] = r.fits;
      j["logo_factor"] = v.logo.rows[i].factor;
      j["logo_error"] = v.logo.rows[i].error;
      const validation::RangeRow& range = v.ranges.rows[i];
      j["range_rows"] = range.rows_in_question;
      j["range_published_low"] = range.low;
      j["range_published_high"] = range.high;
      j["range_error"] = range.error;
      rows.push_back(j);
    }
    out["rows"] = rows;
    Json summary = Json::object();
    summary["rows"] = static_cast<int>(results.size());
    summary["median_abs_error"] = med;
    summary["worst_abs_error"] = worst;
    summary["logo_median_abs_error"] = v.logo.median_abs_error;
    summary["logo_worst_abs_error"] = v.logo.worst_abs_error;
    summary["disagreeing_ranges"] = v.ranges.disagreeing_questions;
    summary["range_median_abs_error"] = v.ranges.median_abs_error;
    summary["range_worst_abs_error"] = v.ranges.worst_abs_error;
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
               "Compute only: 'real' rows (DLE) also load and decode ImageNet, which this table does not model.\n"
               "measured: the month of the measurement, so its software; one GPU runs the same code 6-25 % faster two years\n"
               "after its launch than at it (docs/validation.md), and the model has the mature software.\n\n";
  io::Table t({"source", "gpu", "precision", "format", "batch", "data", "measured", "published img/s", "predicted img/s",
               "error", "LOGO-cal error"},
              {io::Table::Align::left, io::Table::Align::left, io::Table::Align::left, io::Table::Align::left,
               io::Table::Align::right, io::Table::Align::left, io::Table::Align::left, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::right, io::Table::Align::right});
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    t.add({r.row.source, r.row.gpu, std::string(to_string(r.row.precision)), r.row.channels_last ? "nhwc" : "nchw",
           std::to_string(r.row.batch_per_gpu) + (r.fits ? "" : " (!)"), r.row.data, r.row.measured.empty() ? "-" : r.row.measured,
           fixed(r.row.images_per_s, 0),
           fixed(r.predicted, 0), percent(r.error), percent(v.logo.rows[i].error)});
  }
  std::cout << t.render() << "\nmedian |error| " << fixed(100 * med, 1) << " %, worst " << fixed(100 * worst, 1) << " % over "
            << results.size() << " rows (goal: median <= 5 %, worst <= 10 %).\n"
            << "Leave-one-GPU-out: the model fits nothing to these rows, so its leave-one-GPU-out error is the error\n"
               "column. LOGO-cal: one throughput factor fitted on the other GPUs' rows (x"
            << fixed(v.logo.min_factor, 3) << " to x" << fixed(v.logo.max_factor, 3) << "), applied to each GPU's own: median "
            << fixed(100 * v.logo.median_abs_error, 1) << " %, worst " << fixed(100 * v.logo.worst_abs_error, 1) << " %.\n";
  if (v.ranges.disagreeing_questions > 0) {
    // Each disagreeing range once: its rows (source, published, month) and the error against it.
    std::cout << "\nSources that disagree: " << v.ranges.disagreeing_questions
              << " GPU(s) and setup(s) measured more than once with different results (another system, the software of\n"
                 "the day), read as ranges; the error of a range is 0 if its rows' errors straddle zero, else the one nearest zero:\n";
    std::vector<std::string> shown;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const validation::RangeRow& range = v.ranges.rows[i];
      const std::string key = validation::range_key(results[i].row);
      if (range.rows_in_question < 2 || range.high <= range.low || std::find(shown.begin(), shown.end(), key) != shown.end()) continue;
      shown.push_back(key);
      const auto& first = results[i].row;
      std::cout << "  " << first.gpu << " " << to_string(first.precision) << " " << (first.channels_last ? "nhwc" : "nchw") << ":";
      std::string sep = " ";
      for (const auto& r : results) {
        if (validation::range_key(r.row) != key) continue;
        std::cout << sep << r.row.source << " " << fixed(r.row.images_per_s, 0) << " img/s"
                  << (r.row.measured.empty() ? "" : " (" + r.row.measured + ")") << " " << percent(r.error);
        sep = ", ";
      }
      std::cout << "; against the range " << percent(range.error) << "\n";
    }
    std::cout << "Against those ranges: median |error| " << fixed(100 * v.ranges.median_abs_error, 1) << " %, worst "
              << fixed(100 * v.ranges.worst_abs_error, 1) << " %.\n";
  }
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
