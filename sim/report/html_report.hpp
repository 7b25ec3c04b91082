// The decision report (docs/advise.md): one self-contained HTML page, inline CSS and SVG, no
// script and no external reference: the Pareto chart of wall time against total cost, the ranked
// table, a stage Gantt chart per leading option, cost / energy / CO2 bars, short answers, buy or
// rent, and the assumptions with their sources. `trainsim advise --html` and `trainsim compare
// --html` write it (atomically, write_text_file_atomic).
#pragma once

#include <string>

#include "sim/report/advice_report.hpp"

namespace trainsim::io {

[[nodiscard]] std::string advice_html(const AdviceView& v);

// Text with &, <, >, " and ' escaped.
[[nodiscard]] std::string html_escape(const std::string& s);

}  // namespace trainsim::io
