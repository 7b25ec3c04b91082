#include "sim/validation/scaling.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/input/node_io.hpp"
#include "sim/util/stats.hpp"

namespace trainsim::validation {

namespace {

std::string key_of(const io::ThroughputRow& r) {
  return r.source + "/" + r.model + "/" + r.gpu + "/" + std::string(to_string(r.precision)) + "/" + std::to_string(r.image_px);
}

}  // namespace

// The nodes the sources ran on (training-throughput.csv's header): DLE on DGX A100 and DGX-1;
// Lambda on NVSwitch baseboards for SXM parts and a PCIe workstation for GeForce cards.
NodeSpec node_for(const io::ThroughputRow& row, const Catalog& catalog) {
  if (row.source == "dle") {
    const std::string preset = row.gpu == "v100-sxm2-16gb" ? "8x-v100-sxm2-dgx1" : "8x-a100-sxm4-nvswitch";
    if (row.gpus == 8) return io::load_node(preset, catalog, row.where, "gpu");
  }
  CompactNodeSpec c;
  c.gpu = row.gpu;
  c.count = row.gpus;
  const GpuSpec& gpu = catalog.gpu(row.gpu, row.where, "gpu");
  c.interconnect = gpu.nvlink.gbps_per_direction > 0 && !gpu.nvlink.bridge ? Interconnect::nvswitch : Interconnect::pcie;
  c.cpu_cores = 16 * row.gpus;
  c.where = row.where;
  return expand(c, catalog, row.gpu + "-x" + std::to_string(row.gpus));
}

Scenario scenario_for(const io::ThroughputRow& row, const Catalog& catalog) {
  Scenario s;
  s.seed = 1;
  s.file = "training-throughput.csv";
  s.platform = node_for(row, catalog);
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
  // DLE's README: 10 loader workers per GPU on DGX A100, 8 on DGX-1. Its loader collates uint8
  // images (fast_collate) and normalises them on the GPU, so batches cross PCIe as uint8.
  w.dataloader.workers_per_gpu = row.gpu == "v100-sxm2-16gb" ? 8 : 10;
  w.uint8_input = row.source == "dle";
  s.run.iterations = kScalingIterations;
  return s;
}

std::vector<ScalingCase> plan_scaling(const std::string& reference_dir, const Catalog& catalog) {
  const auto rows = io::load_training_throughput(reference_dir);
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
