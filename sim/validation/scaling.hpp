// Validation of the whole engine: multi-GPU ResNet-50 training throughput and scaling efficiency
// beside the published gpus > 1 rows of training-throughput.csv, each with the same source's
// gpus = 1 row as its baseline. This builds the scenarios (node, workload, dataset); the CLI runs
// them in child processes (one simulation per process) and hands the results back to evaluate().
#pragma once

#include <string>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/scenario.hpp"
#include "sim/hw/catalog.hpp"
#include "sim/input/throughput_reference.hpp"
#include "sim/validation/row_node.hpp"

namespace trainsim::validation {

// ImageNet-1k as DLE reads it: 1,281,167 training JPEGs, ~110 kB and ~0.17 MP on average.
inline constexpr long long kImagenetImages = 1281167;
inline constexpr double kImagenetMegapixels = 0.17;
inline constexpr double kImagenetBytes = 110000;
// Iterations replayed per row: enough for the steady state of the loader and the all-reduce.
inline constexpr long long kScalingIterations = 40;

// The scenario of a row: its node, model, batch, precision and data.
[[nodiscard]] Scenario scenario_for(const io::ThroughputRow& row, const Catalog& catalog);

struct ScalingCase {
  io::ThroughputRow row;     // gpus > 1
  io::ThroughputRow single;  // the same source, model, GPU, precision and size with gpus = 1
  Scenario multi;            // the row as published
  Scenario baseline;         // the same node with its first GPU alone, at the batch of `single`
};

// Every gpus > 1 row of DIR/training-throughput.csv that has a gpus = 1 row to compare with.
[[nodiscard]] std::vector<ScalingCase> plan_scaling(const std::string& reference_dir, const Catalog& catalog);

struct ScalingRow {
  io::ThroughputRow row;
  double predicted = 0;  // images/s of the multi-GPU replay
  double error = 0;      // (predicted - published) / published
  double published_efficiency = 0, predicted_efficiency = 0;
  std::string algorithm;  // the all-reduce algorithm that ran
  std::string node;       // the node it ran on
  std::string node_gpu;   // the GPU in the node's slots
};

// One case from the summaries of its two replays.
[[nodiscard]] ScalingRow evaluate(const ScalingCase& c, const RunSummary& multi, const RunSummary& baseline);

struct ScalingSummary {
  double median_abs_error = 0, worst_abs_error = 0;
  double median_efficiency_diff_points = 0, worst_efficiency_diff_points = 0;
};
[[nodiscard]] ScalingSummary summarize(const std::vector<ScalingRow>& rows);

}  // namespace trainsim::validation
