// A published estimate to check a campaign against: the OCR report's own figures (io reads them
// from a data file such as scenarios/ocr-report.yaml), each with the line of the report it is on.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trainsim::campaign {

struct Figure {
  double value = 0;
  int line = 0;  // in the report
};

// A specification the report states for a GPU, to hold against the catalog.
struct SpecClaim {
  std::string field;  // fp16_tflops | fp32_tflops | memory_gb | memory_bandwidth_gbps | tdp_w
  Figure figure;
};

struct ReportPlatform {
  std::string node;   // the preset trainsim simulates for it
  std::string label;  // as the report names it
  std::string gpu;    // catalog name
  int gpus = 1;
  std::vector<std::optional<Figure>> stage_hours;  // one per ReportData::stages
  std::optional<Figure> total_hours, usd_per_gpu_hour, cost_usd, energy_kwh, co2_kg, scaling;
  std::optional<Figure> batch, images_per_s;       // the HRNet-W44 1024 px throughput claim
  std::optional<Figure> purchase_usd;              // the GPU's price
  bool price_is_depreciation = false;              // usd_per_gpu_hour writes off purchase_usd
  std::vector<SpecClaim> specs;
  std::string spec_note;  // what the right figures are, with a source
};

// "iteration_ms x iterations = epoch", as the report works it out.
struct EpochClaim {
  std::string label;
  Figure iteration_ms, iterations, stated_minutes;
};

struct ReportData {
  std::string file;                 // the report
  std::string title;
  std::vector<std::string> stages;  // the campaign's stage names, in the report's order
  Figure carbon_kg_per_kwh, researcher_usd_per_hour;
  std::vector<ReportPlatform> platforms;  // the first is the baseline the report measured on
  std::vector<EpochClaim> epochs;

  [[nodiscard]] const ReportPlatform* find(const std::string& node) const {
    for (const auto& p : platforms) {
      if (p.node == node) return &p;
    }
    return nullptr;
  }
};

}  // namespace trainsim::campaign
