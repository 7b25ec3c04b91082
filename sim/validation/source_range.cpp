#include "sim/validation/source_range.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/util/stats.hpp"

namespace trainsim::validation {

RangeSummary against_ranges(const std::vector<RangeInput>& rows) {
  struct Span {
    double low = 0, high = 0;
    int rows = 0;
  };
  std::map<std::string, Span> spans;
  for (const auto& r : rows) {
    Span& s = spans[r.setup];
    s.low = s.rows == 0 ? r.published : std::min(s.low, r.published);
    s.high = s.rows == 0 ? r.published : std::max(s.high, r.published);
    ++s.rows;
  }
  RangeSummary out;
  for (const auto& [key, s] : spans) {
    if (s.rows > 1 && s.high > s.low) ++out.disagreeing_setups;
  }
  std::vector<double> abs_errors;
  for (const auto& r : rows) {
    const Span& s = spans.at(r.setup);
    RangeRow row{s.low, s.high, s.rows, 0.0};
    if (r.predicted > s.high) row.error = (r.predicted - s.high) / s.high;
    if (r.predicted < s.low) row.error = (r.predicted - s.low) / s.low;
    abs_errors.push_back(std::fabs(row.error));
    out.rows.push_back(row);
  }
  out.median_abs_error = median(abs_errors);
  out.worst_abs_error = abs_errors.empty() ? 0 : *std::max_element(abs_errors.begin(), abs_errors.end());
  return out;
}

}  // namespace trainsim::validation
