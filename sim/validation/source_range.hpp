// Sources that disagree. Two rows of a reference file may describe one setup (the same source,
// model, size, precision, GPU, GPU count, batch per GPU, data, memory format and optimizer) and
// still measure different throughputs: two systems of one benchmark, 6-8 % apart for Lambda's
// H100 SXM5 rows. Issue 14: such rows stay, both of them, and are a range, not two truths. Against
// the range [lowest, highest] a prediction inside it has no error; outside, its error is against
// the nearer end. The per-row error stays the headline; this is the second reading.
#pragma once

#include <string>
#include <vector>

namespace trainsim::validation {

struct RangeInput {
  std::string setup;     // rows with the same key describe one setup
  double predicted = 0;  // > 0
  double published = 0;  // > 0
};

struct RangeRow {
  double low = 0, high = 0;  // the published range of the row's setup (one row: its own value)
  int rows_in_setup = 1;
  double error = 0;          // 0 inside [low, high]; else (predicted - nearer end) / nearer end
};

struct RangeSummary {
  std::vector<RangeRow> rows;  // in the order of the input
  int disagreeing_setups = 0;  // setups with more than one row and more than one value
  double median_abs_error = 0, worst_abs_error = 0;
};

[[nodiscard]] RangeSummary against_ranges(const std::vector<RangeInput>& rows);

}  // namespace trainsim::validation
