// trainsim validate --models: predicted single-GPU training throughput of other models than
// ResNet-50 alone beside the published rows of model-throughput.csv, row by row, and by model
// (sim/validation/models.hpp computes them; this prints them).
#include <algorithm>
#include <iostream>
#include <map>

#include "sim/cli/validate.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/stats.hpp"
#include "sim/util/strings.hpp"
#include "sim/validation/models.hpp"

namespace trainsim::cli {

namespace {

std::string percent(double x) { return (x >= 0 ? "+" : "") + fixed(100 * x, 1) + " %"; }

Json row_json(const validation::ModelRow& r, const validation::LogoRow* lomo) {
  Json j = Json::object();
  j["source"] = r.row.source;
  j["model"] = r.row.model;
  j["published_model"] = r.row.published_model;
  j["gpu"] = r.row.gpu;
  j["precision"] = std::string(to_string(r.row.precision));
  j["memory_format"] = r.row.channels_last ? "nhwc" : "nchw";
  j["optimizer"] = std::string(to_string(r.row.optimizer));
  j["batch"] = r.row.batch;
  j["image_px"] = r.row.image_px;
  j["data"] = r.row.data;
  j["published_images_per_s"] = r.row.images_per_s;
  j["line"] = r.row.where.line;
  j["run"] = r.run;
  if (!r.run) {
    j["not_run"] = r.not_run;
    return j;
  }
  if (!r.model_file.empty()) j["model_file"] = r.model_file;
  j["params"] = r.params;
  j["predicted_images_per_s"] = r.predicted;
  j["error"] = r.error;
  j["fits_in_memory"] = r.fits;
  j["lomo_factor"] = lomo->factor;
  j["lomo_error"] = lomo->error;
  return j;
}

}  // namespace

int validate_models(const ValidateOptions& opt) {
  const validation::ModelValidation v = validation::validate_models(opt.reference_dir, opt.onnx_dir, io::default_catalog());

  // Rows that ran, with their leave-one-model-out row (v.lomo follows the rows that ran).
  std::vector<const validation::LogoRow*> lomo(v.rows.size(), nullptr);
  for (std::size_t i = 0, k = 0; i < v.rows.size(); ++i) {
    if (v.rows[i].run) lomo[i] = &v.lomo.rows[k++];
  }
  if (opt.json) {
    Json out = Json::object();
    Json rows = Json::array();
    for (std::size_t i = 0; i < v.rows.size(); ++i) rows.push_back(row_json(v.rows[i], lomo[i]));
    out["rows"] = rows;
    Json summary = Json::object();
    summary["rows"] = static_cast<int>(v.rows.size());
    summary["run"] = v.run_rows;
    summary["median_abs_error"] = v.median_abs_error;
    summary["worst_abs_error"] = v.worst_abs_error;
    summary["lomo_median_abs_error"] = v.lomo.median_abs_error;
    summary["lomo_worst_abs_error"] = v.lomo.worst_abs_error;
    out["summary"] = summary;
    std::cout << out.dump() << "\n";
    return 0;
  }

  const std::string shown = opt.reference_is_default ? "platforms/reference/" + std::string(io::kModelThroughputFile) : opt.reference_dir;
  std::cout << "Single-GPU training throughput of other models, trainsim (compute model) vs published (" << shown << ").\n"
            << "NAME.onnx rows read torchvision exports from " << (opt.onnx_dir.empty() ? std::string("--onnx DIR (not given)") : opt.onnx_dir)
            << ".\n\n";
  io::Table t({"source", "model", "published as", "gpu", "precision", "format", "batch", "published img/s", "predicted img/s",
               "error", "LOMO-cal error"},
              {io::Table::Align::left, io::Table::Align::left, io::Table::Align::left, io::Table::Align::left,
               io::Table::Align::left, io::Table::Align::left, io::Table::Align::right, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::right, io::Table::Align::right});
  std::map<std::string, std::vector<double>> by_model;
  std::vector<std::string> model_order;
  std::vector<std::string> not_run;
  for (std::size_t i = 0; i < v.rows.size(); ++i) {
    const auto& r = v.rows[i];
    const std::string batch = std::to_string(r.row.batch) + (r.run && !r.fits ? " (!)" : "");
    t.add({r.row.source, r.row.model, r.row.published_model, r.row.gpu, std::string(to_string(r.row.precision)),
           r.row.channels_last ? "nhwc" : "nchw", batch, fixed(r.row.images_per_s, 0), r.run ? fixed(r.predicted, 0) : "-",
           r.run ? percent(r.error) : "not run", r.run ? percent(lomo[i]->error) : "-"});
    if (!r.run) {
      // Without --onnx every NAME.onnx row has the same reason: say it once.
      if (opt.onnx_dir.empty()) {
        if (not_run.empty()) not_run.push_back("NAME.onnx rows: " + r.not_run);
      } else {
        not_run.push_back("line " + std::to_string(r.row.where.line) + " (" + r.row.model + "): " + r.not_run);
      }
      continue;
    }
    if (!by_model.count(r.row.model)) model_order.push_back(r.row.model);
    by_model[r.row.model].push_back(r.error);
  }
  std::cout << t.render() << "\nmedian |error| " << fixed(100 * v.median_abs_error, 1) << " %, worst "
            << fixed(100 * v.worst_abs_error, 1) << " % over " << v.run_rows << " rows";
  if (v.run_rows < static_cast<int>(v.rows.size())) std::cout << " (" << v.rows.size() - v.run_rows << " not run)";
  std::cout << ".\nLOMO-cal: one throughput factor fitted on the other models' rows (x" << fixed(v.lomo.min_factor, 3) << " to x"
            << fixed(v.lomo.max_factor, 3) << "), applied to each model's own: median " << fixed(100 * v.lomo.median_abs_error, 1)
            << " %, worst " << fixed(100 * v.lomo.worst_abs_error, 1) << " %.\n";
  if (!model_order.empty()) {
    std::cout << "\nBy model (signed error over its rows):\n";
    io::Table m({"model", "rows", "median error", "from", "to"},
                {io::Table::Align::left, io::Table::Align::right, io::Table::Align::right, io::Table::Align::right,
                 io::Table::Align::right});
    for (const auto& name : model_order) {
      const auto& e = by_model[name];
      m.add({name, std::to_string(e.size()), percent(median(e)), percent(*std::min_element(e.begin(), e.end())),
             percent(*std::max_element(e.begin(), e.end()))});
    }
    std::cout << m.render("  ");
  }
  std::vector<std::string> notes;  // one per distinct model, batch and GPU that the memory model says does not fit
  for (const auto& r : v.rows) {
    if (!r.run || r.fits) continue;
    const std::string note = "(!) " + r.row.model + " batch " + std::to_string(r.row.batch) + " on " + r.row.gpu +
                             ": the memory model says it does not fit (the source ran it): " +
                             describe(r.profile.memory, r.profile.memory_capacity);
    if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
  }
  if (!notes.empty()) std::cout << "\n";
  for (const auto& n : notes) std::cout << n << "\n";
  if (!not_run.empty()) {
    std::cout << "\nNot run (" << v.rows.size() - v.run_rows << " rows):\n";
    for (const auto& s : not_run) std::cout << "  " << s << "\n";
  }
  return 0;
}

}  // namespace trainsim::cli
