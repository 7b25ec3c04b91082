#include "sim/validation/source_range.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/util/stats.hpp"

namespace trainsim::validation {

RangeSummary against_ranges(const std::vector<RangeInput>& rows) {
  struct Span {
    double low = 0, high = 0;            // published
    double min_error = 0, max_error = 0;  // (predicted - published) / published
    int rows = 0;
  };
  std::map<std::string, Span> spans;
  for (const auto& r : rows) {
    Span& s = spans[r.question];
    const double e = (r.predicted - r.published) / r.published;
    const bool first = s.rows == 0;
    s.low = first ? r.published : std::min(s.low, r.published);
    s.high = first ? r.published : std::max(s.high, r.published);
    s.min_error = first ? e : std::min(s.min_error, e);
    s.max_error = first ? e : std::max(s.max_error, e);
    ++s.rows;
  }
  RangeSummary out;
  for (const auto& [key, s] : spans) {
    if (s.rows > 1 && s.high > s.low) ++out.disagreeing_questions;
  }
  std::vector<double> abs_errors;
  for (const auto& r : rows) {
    const Span& s = spans.at(r.question);
    RangeRow row{s.low, s.high, s.rows, 0.0};
    if (s.min_error > 0) row.error = s.min_error;
    if (s.max_error < 0) row.error = s.max_error;
    abs_errors.push_back(std::fabs(row.error));
    out.rows.push_back(row);
  }
  out.median_abs_error = median(abs_errors);
  out.worst_abs_error = abs_errors.empty() ? 0 : *std::max_element(abs_errors.begin(), abs_errors.end());
  return out;
}

}  // namespace trainsim::validation
