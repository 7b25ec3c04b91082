// Reading a report's figures (e.g. scenarios/ocr-report.yaml): every figure is [value, line], the
// line of the report it is written on.
#pragma once

#include <string>

#include "sim/campaign/report.hpp"
#include "sim/hw/catalog.hpp"

namespace trainsim::io {

[[nodiscard]] campaign::ReportData parse_report_text(const std::string& text, const std::string& file, const Catalog& catalog);
[[nodiscard]] campaign::ReportData load_report(const std::string& path, const Catalog& catalog);

}  // namespace trainsim::io
