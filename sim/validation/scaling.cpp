#include "sim/validation/scaling.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/util/stats.hpp"

namespace trainsim::validation {

namespace {

std::string key_of(const io::ThroughputRow& r) {
  return r.source + "/" + r.model + "/" + r.gpu + "/" + std::string(to_string(r.precision)) + "/" + std::to_string(r.image_px);
}

}  // namespace

Scenario scenario_for(const io::ThroughputRow& row, const Catalog& catalog) {
  Scenario s;
  s.seed = 1;
  s.file = "training-throughput.csv";
  const RowNode node = node_for(row, catalog);
  s.platform = node.node;
  s.platform_ref = s.platform.name;
  WorkloadSpec& w = s.workload;
  w.model = row.model;
  w.height_px = w.width_px = row.image_px;
  w.precision = row.precision;
  w.batch_per_gpu = row.batch_per_gpu;
  w.optimizer = row.optimizer;
  w.channels_last = row.channels_last;
  w.dataset.images = kImagenetImages;
  w.dataset.synthetic = row.data != "real";
  w.dataset.mean_megapixels = kImagenetMegapixels;
  w.dataset.mean_bytes = kImagenetBytes;
  // DLE's loader collates uint8 images (fast_collate) and normalises them on the GPU, so batches
  // cross PCIe as uint8.
  w.dataloader.workers_per_gpu = node.workers_per_gpu;
  w.uint8_input = row.source == "dle";
  s.run.iterations = kScalingIterations;
  return s;
}

std::vector<ScalingCase> plan_scaling(const std::string& reference_dir, const Catalog& catalog) {
  const auto rows = io::load_training_throughput(reference_dir);
  check_gpus(rows, catalog);
  std::map<std::string, io::ThroughputRow> singles;
  for (const auto& r : rows) {
    if (r.gpus == 1) singles[key_of(r)] = r;
  }
  std::vector<ScalingCase> cases;
  for (const auto& r : rows) {
    const auto single = singles.find(key_of(r));
    if (r.gpus <= 1 || single == singles.end()) continue;
    ScalingCase c{r, single->second, scenario_for(r, catalog), {}};
    c.baseline = one_gpu(c.multi);
    c.baseline.workload.batch_per_gpu = single->second.batch_per_gpu;
    cases.push_back(std::move(c));
  }
  return cases;
}

ScalingRow evaluate(const ScalingCase& c, const RunSummary& multi, const RunSummary& baseline) {
  ScalingRow r;
  r.row = c.row;
  r.predicted = multi.images_per_s;
  r.error = (r.predicted - c.row.images_per_s) / c.row.images_per_s;
  r.published_efficiency = c.row.images_per_s / (c.row.gpus * c.single.images_per_s);
  r.predicted_efficiency = r.predicted / (c.row.gpus * baseline.images_per_s);
  r.algorithm = multi.algorithm;
  r.node = c.multi.platform.name;
  for (const auto& v : c.multi.platform.vertices) {
    if (v.kind == VertexKind::gpu && r.node_gpu.empty()) r.node_gpu = v.gpu;
  }
  return r;
}

ScalingSummary summarize(const std::vector<ScalingRow>& rows) {
  std::vector<double> errors, eff_diffs;
  for (const auto& r : rows) {
    errors.push_back(std::abs(r.error));
    eff_diffs.push_back(std::abs(r.predicted_efficiency - r.published_efficiency) * 100);
  }
  ScalingSummary s;
  s.median_abs_error = median(errors);
  s.worst_abs_error = errors.empty() ? 0 : *std::max_element(errors.begin(), errors.end());
  s.median_efficiency_diff_points = median(eff_diffs);
  s.worst_efficiency_diff_points = eff_diffs.empty() ? 0 : *std::max_element(eff_diffs.begin(), eff_diffs.end());
  return s;
}

}  // namespace trainsim::validation
