// The SVG charts of the decision report (html_report.hpp), each a self-contained <svg> element.
#pragma once

#include <string>

#include "sim/report/advice_report.hpp"

namespace trainsim::io {

// Wall hours (x) against total cost (y), both on log scales; frontier points filled and joined;
// the deadline as a vertical line.
[[nodiscard]] std::string pareto_svg(const AdviceView& v);
// One row per stage over the platform's makespan, a bar per run (packed runs overlap).
[[nodiscard]] std::string gantt_svg(const PlatformView& p);
// Cost, kWh and CO2 of the first options (ranked), as three columns of horizontal bars.
[[nodiscard]] std::string bars_svg(const AdviceView& v, std::size_t max_options = 12);

}  // namespace trainsim::io
