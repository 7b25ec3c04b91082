// trainsim validate --scaling: multi-GPU ResNet-50 training throughput and scaling efficiency
// beside the published gpus > 1 rows of training-throughput.csv, each with the same source's
// gpus = 1 row as its baseline. sim/validation/scaling.hpp builds the scenarios (full replays: data
// loading for real-data rows, bucketed all-reduce overlapping the backward); this runs them in
// child processes and prints the table.
#include <algorithm>
#include <iostream>
#include <thread>

#include "sim/cli/child_run.hpp"
#include "sim/cli/validate.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/validation/scaling.hpp"

namespace trainsim::cli {

int validate_scaling(const ValidateOptions& opt) {
  const auto cases = validation::plan_scaling(opt.reference_dir, io::default_catalog());
  // Each multi-GPU row, then its baseline: the same node with one GPU, the batch of the 1-GPU row.
  std::vector<Scenario> scenarios;
  for (const auto& c : cases) {
    scenarios.push_back(c.multi);
    scenarios.push_back(c.baseline);
  }
  const int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto results = run_scenarios(scenarios, std::nullopt, jobs);

  Json out = Json::object();
  Json jrows = Json::array();
  io::Table t({"source", "gpu", "precision", "gpus", "data", "published img/s", "predicted img/s", "error",
               "published eff", "predicted eff", "diff (pts)"});
  std::vector<validation::ScalingRow> rows;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& r = cases[i].row;
    const ChildRun& m = results[2 * i];
    const ChildRun& b = results[2 * i + 1];
    if (!m.ok || !b.ok) throw RuntimeError("validation row " + r.where.to_string() + " failed: " + (m.ok ? b.error : m.error));
    const validation::ScalingRow v = validation::evaluate(cases[i], m.summary, b.summary);
    rows.push_back(v);
    const double predicted = v.predicted, error = v.error;
    const double published_eff = v.published_efficiency, predicted_eff = v.predicted_efficiency;
    t.add({r.source, r.gpu, std::string(to_string(r.precision)), std::to_string(r.gpus), r.data, fixed(r.images_per_s, 0),
           fixed(predicted, 0), (error >= 0 ? "+" : "") + fixed(100 * error, 1) + " %", fixed(published_eff, 3),
           fixed(predicted_eff, 3), (predicted_eff >= published_eff ? "+" : "") + fixed(100 * (predicted_eff - published_eff), 1)});
    Json j = Json::object();
    j["source"] = r.source;
    j["gpu"] = r.gpu;
    j["precision"] = std::string(to_string(r.precision));
    j["gpus"] = r.gpus;
    j["data"] = r.data;
    j["published_images_per_s"] = r.images_per_s;
    j["predicted_images_per_s"] = predicted;
    j["error"] = error;
    j["published_scaling_efficiency"] = published_eff;
    j["predicted_scaling_efficiency"] = predicted_eff;
    j["algorithm"] = v.algorithm;
    j["node"] = v.node;
    j["node_gpu"] = v.node_gpu;
    jrows.push_back(j);
  }
  const validation::ScalingSummary sum = validation::summarize(rows);
  const double med = sum.median_abs_error, worst = sum.worst_abs_error;
  const double med_eff = sum.median_efficiency_diff_points, worst_eff = sum.worst_efficiency_diff_points;
  if (opt.json) {
    out["rows"] = jrows;
    out["median_abs_error"] = med;
    out["worst_abs_error"] = worst;
    out["median_efficiency_diff_points"] = med_eff;
    out["worst_efficiency_diff_points"] = worst_eff;
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::cout << "Multi-GPU ResNet-50 training throughput: predicted (full replay, " << validation::kScalingIterations
            << " iterations) vs published\n\n"
            << t.render() << "\nmedian |error| " << fixed(100 * med, 1) << " %, worst " << fixed(100 * worst, 1) << " %; "
            << "scaling efficiency off by " << fixed(med_eff, 1) << " points (median), " << fixed(worst_eff, 1)
            << " (worst), over " << rows.size() << " rows\n";
  return 0;
}

}  // namespace trainsim::cli
