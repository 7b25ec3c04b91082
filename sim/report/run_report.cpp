#include "sim/report/run_report.hpp"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

std::string duration(Seconds s) {
  if (s < 1e-3) return fixed(s * 1e6, 1) + " us";
  if (s < 1) return fixed(s * 1e3, 1) + " ms";
  if (s < 120) return fixed(s, 2) + " s";
  if (s < 7200) return fixed(s / 60, 1) + " min";
  return fixed(s / 3600, 2) + " h";
}

std::string share(Seconds part, Seconds whole) { return whole > 0 ? fixed(100 * part / whole, 1) + " %" : "-"; }

}  // namespace

Json run_json(const RunSummary& s, const std::optional<Baseline>& baseline) {
  Json j = Json::object();
  j["node"] = s.node;
  j["gpu"] = s.gpu;
  j["gpus"] = s.gpus;
  j["model"] = s.model;
  j["precision"] = s.precision;
  j["batch_per_gpu"] = s.batch_per_gpu;
  j["images_per_s"] = s.images_per_s;
  Json it = Json::object();
  it["mean"] = s.iteration_mean;
  it["p50"] = s.iteration_p50;
  it["p99"] = s.iteration_p99;
  j["iteration_s"] = it;
  Json split = Json::object();
  split["compute"] = s.compute;
  split["exposed_comm"] = s.exposed_comm;
  split["data_stall"] = s.data_stall;
  j["split_s"] = split;
  j["data_stall_steady_s"] = s.data_stall_steady;
  j["evaluation_s"] = s.evaluation_s;
  j["epoch_s"] = s.epoch_s;
  j["run_s"] = s.run_s;
  if (baseline && baseline->images_per_s > 0) {
    j["scaling_efficiency"] = s.images_per_s / (s.gpus * baseline->images_per_s);
    j["baseline_images_per_s"] = baseline->images_per_s;
  } else {
    j["scaling_efficiency"] = nullptr;
    j["baseline_images_per_s"] = nullptr;
  }
  j["iterations"] = s.iterations;
  j["iterations_per_epoch"] = s.iterations_per_epoch;
  j["epochs"] = s.epochs;
  j["algorithm"] = s.algorithm;
  j["buckets"] = s.buckets;
  j["overlap_slowdown"] = s.overlap_slowdown;
  Json busy = Json::array();
  for (Seconds b : s.gpu_busy_s) busy.push_back(b);
  j["gpu_busy_s"] = busy;
  j["activities"] = s.activities;
  j["replay"] = s.replay;
  j["iterations_replayed"] = s.iterations_replayed;
  Json ci = Json::object();  // half-widths of 95 % confidence intervals; 0 after a full replay
  ci["confidence"] = 0.95;
  ci["iteration_mean_s"] = s.iteration_mean_ci;
  ci["epoch_s"] = s.epoch_ci;
  ci["run_s"] = s.run_ci;
  j["ci"] = ci;
  j["wall_s"] = s.wall_s;
  j["cpu_s"] = s.cpu_s;
  return j;
}

std::string run_text(const RunSummary& s, const std::optional<Baseline>& baseline) {
  std::ostringstream o;
  o << "node " << s.node << ": " << s.gpus << " x " << s.gpu << "; " << s.model << ", " << s.precision << ", batch "
    << s.batch_per_gpu << " per GPU (" << s.batch_per_gpu * s.gpus << " in all)\n";
  if (s.gpus > 1) {
    o << "  " << s.buckets << " gradient buckets, all-reduce " << s.algorithm << ", compute slowed by "
      << fixed(100 * s.overlap_slowdown, 1) << " % while one is in flight\n";
  }
  o << "\n";
  const char* per_s = s.sequences ? " sequences/s" : " images/s";
  o << "  throughput          " << fixed(s.images_per_s, 1) << per_s << "\n";
  o << "  iteration           mean " << duration(s.iteration_mean) << ", p50 " << duration(s.iteration_p50) << ", p99 "
    << duration(s.iteration_p99) << "\n";
  o << "    compute           " << duration(s.compute) << "  (" << share(s.compute, s.iteration_mean) << ")\n";
  o << "    exposed comm      " << duration(s.exposed_comm) << "  (" << share(s.exposed_comm, s.iteration_mean) << ")\n";
  o << "    data stall        " << duration(s.data_stall) << "  (" << share(s.data_stall, s.iteration_mean) << "); "
    << duration(s.data_stall_steady) << " after each epoch's first iteration\n";
  if (s.epoch_s > 0) o << "  epoch               " << duration(s.epoch_s) << " (" << s.iterations_per_epoch << " iterations)\n";
  if (s.evaluation_s > 0) o << "  evaluation          " << duration(s.evaluation_s) << " in the run (rank 0: forward to the metric)\n";
  o << "  run                 " << duration(s.run_s) << " (" << s.iterations << " iterations, " << s.epochs
    << (s.epochs == 1 ? " epoch" : " epochs") << ")\n";
  if (s.replay == "sampled") {
    o << "  sampled replay      " << s.iterations_replayed << " of " << s.iterations
      << " iterations replayed; 95 % CI: iteration +/- " << duration(s.iteration_mean_ci) << ", epoch +/- "
      << duration(s.epoch_ci) << ", run +/- " << duration(s.run_ci) << "\n";
  }
  if (baseline && baseline->images_per_s > 0) {
    o << "  scaling efficiency  " << fixed(s.images_per_s / (s.gpus * baseline->images_per_s), 3) << "  (1 GPU: "
      << fixed(baseline->images_per_s, 1) << per_s << ")\n";
  }
  o << "\n  replayed " << s.activities << " activities in " << fixed(s.wall_s, 2) << " s\n";
  return o.str();
}

RunSummary parse_run_json(const std::string& text) {
  try {
    const YAML::Node j = YAML::Load(text);
    RunSummary s;
    s.node = j["node"].as<std::string>();
    s.gpu = j["gpu"].as<std::string>();
    s.gpus = j["gpus"].as<int>();
    s.model = j["model"].as<std::string>();
    s.precision = j["precision"].as<std::string>();
    s.batch_per_gpu = j["batch_per_gpu"].as<int>();
    s.images_per_s = j["images_per_s"].as<double>();
    s.iteration_mean = j["iteration_s"]["mean"].as<double>();
    s.iteration_p50 = j["iteration_s"]["p50"].as<double>();
    s.iteration_p99 = j["iteration_s"]["p99"].as<double>();
    s.compute = j["split_s"]["compute"].as<double>();
    s.exposed_comm = j["split_s"]["exposed_comm"].as<double>();
    s.data_stall = j["split_s"]["data_stall"].as<double>();
    if (j["data_stall_steady_s"]) s.data_stall_steady = j["data_stall_steady_s"].as<double>();
    if (j["evaluation_s"]) s.evaluation_s = j["evaluation_s"].as<double>();
    s.epoch_s = j["epoch_s"].as<double>();
    s.run_s = j["run_s"].as<double>();
    s.iterations = j["iterations"].as<long long>();
    s.iterations_per_epoch = j["iterations_per_epoch"].as<long long>();
    s.epochs = j["epochs"].as<int>();
    s.algorithm = j["algorithm"].as<std::string>();
    s.buckets = j["buckets"].as<int>();
    s.overlap_slowdown = j["overlap_slowdown"].as<double>();
    for (const auto& b : j["gpu_busy_s"]) s.gpu_busy_s.push_back(b.as<double>());
    s.activities = j["activities"].as<long long>();
    s.replay = j["replay"].as<std::string>();
    s.iterations_replayed = j["iterations_replayed"].as<long long>();
    s.iteration_mean_ci = j["ci"]["iteration_mean_s"].as<double>();
    s.epoch_ci = j["ci"]["epoch_s"].as<double>();
    s.run_ci = j["ci"]["run_s"].as<double>();
    s.wall_s = j["wall_s"].as<double>();
    s.cpu_s = j["cpu_s"].as<double>();
    return s;
  } catch (const YAML::Exception& e) {
    throw RuntimeError(std::string("malformed run summary from a child simulation: ") + e.what());
  }
}

}  // namespace trainsim::io
