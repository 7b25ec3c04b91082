// Sources that disagree. Rows of a reference file may ask one question (the same model, size,
// precision, GPU, GPU count, memory format and optimizer) and still measure it differently: two
// systems of one benchmark (Lambda's H100 SXM5 rows, 6-8 % apart), or one GPU measured with the
// software of 2021 and of 2022 (DLE's A100 rows against Lambda's, 12 %; docs/validation.md,
// "Software moves the measurement"). Issue 14: such rows stay, all of them, and are a range, not
// several truths. Their batches may differ, and the model predicts each row at its own batch, so
// the range is read in errors: a question whose rows' errors straddle zero has no error; otherwise
// its error is the row's error nearest zero (for rows of one batch: the prediction against the
// nearer end of [lowest, highest]). The per-row error stays the headline; this is the second reading.
#pragma once

#include <string>
#include <vector>

namespace trainsim::validation {

struct RangeInput {
  std::string question;  // rows with the same key measure one thing
  double predicted = 0;  // > 0
  double published = 0;  // > 0
};

struct RangeRow {
  double low = 0, high = 0;  // the published range of the row's question (one row: its own value)
  int rows_in_question = 1;
  double error = 0;          // 0 if the question's row errors straddle zero; else the one nearest zero
};

struct RangeSummary {
  std::vector<RangeRow> rows;       // in the order of the input
  int disagreeing_questions = 0;    // questions with more than one row and more than one value
  double median_abs_error = 0, worst_abs_error = 0;
};

[[nodiscard]] RangeSummary against_ranges(const std::vector<RangeInput>& rows);

}  // namespace trainsim::validation
