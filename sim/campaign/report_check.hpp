// Checking a published estimate (sim/campaign/report.hpp) on its own terms: its specifications
// against the catalog, its sums, its speed-ups against each other, and its cost, energy and
// epoch arithmetic. Every finding is worked out from the figures; nothing is written in advance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/campaign/report.hpp"
#include "sim/hw/catalog.hpp"

namespace trainsim::campaign {

struct Finding {
  std::string topic;  // spec | sum | speed-up | arithmetic | cost | energy
  std::string text;   // one sentence with the numbers and the report's lines
};

[[nodiscard]] std::vector<Finding> check_report(const ReportData& report, const Catalog& catalog);

// One stage of the baseline platform: the report's hours beside trainsim's, and what each means
// per iteration of the run(s) trainsim simulated for the stage.
struct StageCheck {
  std::string stage;
  std::optional<Figure> report_hours;
  double trainsim_hours = 0;
  long long iterations = 0;  // over the stage's runs
  [[nodiscard]] std::optional<double> ratio() const;                 // report / trainsim
  [[nodiscard]] std::optional<double> report_s_per_iteration() const;
  [[nodiscard]] double trainsim_s_per_iteration() const;
};

// A number as the report would write it: up to `digits` decimals, trailing zeros dropped.
[[nodiscard]] std::string short_number(double v, int digits = 2);

}  // namespace trainsim::campaign
