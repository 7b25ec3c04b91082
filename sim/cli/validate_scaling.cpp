// trainsim validate --scaling: multi-GPU ResNet-50 training throughput and scaling efficiency
// beside the published gpus > 1 rows of training-throughput.csv, each with the same source's
// gpus = 1 row as its baseline. Every row is a full replay (data loading for real-data rows,
// bucketed all-reduce overlapping the backward), in child processes.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <thread>

#include "sim/cli/child_run.hpp"
#include "sim/cli/validate.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/throughput_reference.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/stats.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

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

// ImageNet-1k as DLE reads it: 1,281,167 training JPEGs, ~110 kB and ~0.17 MP on average.
constexpr long long kImagenetImages = 1281167;
constexpr double kImagenetMegapixels = 0.17;
constexpr double kImagenetBytes = 110000;
constexpr long long kIterations = 40;

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
  s.run.iterations = kIterations;
  return s;
}

std::string key_of(const io::ThroughputRow& r) {
  return r.source + "/" + r.model + "/" + r.gpu + "/" + std::string(to_string(r.precision)) + "/" + std::to_string(r.image_px);
}

}  // namespace

int validate_scaling(const ValidateOptions& opt) {
  const Catalog& catalog = io::default_catalog();
  const auto rows = io::load_training_throughput(opt.reference_dir);
  std::map<std::string, io::ThroughputRow> singles;
  std::vector<io::ThroughputRow> multi;
  for (const auto& r : rows) {
    if (r.gpus == 1) singles[key_of(r)] = r;
  }
  for (const auto& r : rows) {
    if (r.gpus > 1 && singles.count(key_of(r)) != 0) multi.push_back(r);
  }
  // Each multi-GPU row, then its baseline: the same node with one GPU, the batch of the 1-GPU row.
  std::vector<Scenario> scenarios;
  for (const auto& r : multi) {
    scenarios.push_back(scenario_for(r, catalog));
    Scenario one = one_gpu(scenarios.back());
    one.workload.batch_per_gpu = singles[key_of(r)].batch_per_gpu;
    scenarios.push_back(one);
  }
  const int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto results = run_scenarios(scenarios, std::nullopt, jobs);

  Json out = Json::object();
  Json jrows = Json::array();
  io::Table t({"source", "gpu", "precision", "gpus", "data", "published img/s", "predicted img/s", "error",
               "published eff", "predicted eff", "diff (pts)"});
  std::vector<double> errors, eff_diffs;
  for (std::size_t i = 0; i < multi.size(); ++i) {
    const auto& r = multi[i];
    const auto& single = singles[key_of(r)];
    const ChildRun& m = results[2 * i];
    const ChildRun& b = results[2 * i + 1];
    if (!m.ok || !b.ok) throw RuntimeError("validation row " + r.where.to_string() + " failed: " + (m.ok ? b.error : m.error));
    const double predicted = m.summary.images_per_s;
    const double error = (predicted - r.images_per_s) / r.images_per_s;
    const double published_eff = r.images_per_s / (r.gpus * single.images_per_s);
    const double predicted_eff = predicted / (r.gpus * b.summary.images_per_s);
    errors.push_back(std::abs(error));
    eff_diffs.push_back(std::abs(predicted_eff - published_eff) * 100);
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
    j["algorithm"] = m.summary.algorithm;
    jrows.push_back(j);
  }
  const double med = median(errors);
  const double worst = errors.empty() ? 0 : *std::max_element(errors.begin(), errors.end());
  const double med_eff = median(eff_diffs);
  const double worst_eff = eff_diffs.empty() ? 0 : *std::max_element(eff_diffs.begin(), eff_diffs.end());
  if (opt.json) {
    out["rows"] = jrows;
    out["median_abs_error"] = med;
    out["worst_abs_error"] = worst;
    out["median_efficiency_diff_points"] = med_eff;
    out["worst_efficiency_diff_points"] = worst_eff;
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::cout << "Multi-GPU ResNet-50 training throughput: predicted (full replay, " << kIterations
            << " iterations) vs published\n\n"
            << t.render() << "\nmedian |error| " << fixed(100 * med, 1) << " %, worst " << fixed(100 * worst, 1) << " %; "
            << "scaling efficiency off by " << fixed(med_eff, 1) << " points (median), " << fixed(worst_eff, 1)
            << " (worst), over " << errors.size() << " rows\n";
  return 0;
}

}  // namespace trainsim::cli
