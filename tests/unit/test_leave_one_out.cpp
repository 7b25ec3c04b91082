// Leave-one-GPU-out: the factor for a GPU is fitted on the other GPUs' rows only.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/validation/leave_one_out.hpp"
#include "sim/validation/source_range.hpp"

using namespace trainsim::validation;

TEST_CASE("leave-one-GPU-out fits the factor without the held-out GPU's rows") {
  // a: predicted 10 % fast on both rows; b: 20 % slow; c: exact.
  const std::vector<LogoInput> rows = {{"a", 110, 100}, {"a", 220, 200}, {"b", 80, 100}, {"c", 50, 50}};
  const LogoSummary s = leave_one_gpu_out(rows);
  REQUIRE(s.rows.size() == 4);
  // For a: fitted on b (100/80) and c (1): exp((ln 1.25 + 0) / 2) = sqrt(1.25)
  CHECK(s.rows[0].factor == Approx(std::sqrt(1.25)));
  CHECK(s.rows[1].factor == Approx(std::sqrt(1.25)));
  CHECK(s.rows[0].error == Approx(std::sqrt(1.25) * 1.1 - 1));
  // For b: fitted on a's two rows and c: exp((2 ln(1/1.1) + 0) / 3)
  CHECK(s.rows[2].factor == Approx(std::exp(2 * std::log(1 / 1.1) / 3)));
  CHECK(s.rows[2].error == Approx(s.rows[2].factor * 0.8 - 1));
  // A factor fitted with the held-out rows in would differ: the held-out rows are not used.
  CHECK(s.rows[3].factor == Approx(std::exp((2 * std::log(1 / 1.1) + std::log(1.25)) / 3)));
  CHECK(s.min_factor <= s.max_factor);
  CHECK(s.worst_abs_error >= s.median_abs_error);
}

TEST_CASE("one GPU alone gets no factor") {
  const LogoSummary s = leave_one_gpu_out({{"a", 90, 100}, {"a", 180, 200}});
  CHECK(s.rows[0].factor == 1.0);
  CHECK(s.rows[0].error == Approx(-0.1));
  CHECK(s.median_abs_error == Approx(0.1));
}

TEST_CASE("rows of one question that disagree are a range: no error inside it, the nearer end outside") {
  // s: two systems measured 100 and 110, predicted 105; t: one row of 50; w: 100 and 110, predicted 121.
  const RangeSummary r = against_ranges({{"s", 105, 100}, {"s", 105, 110}, {"t", 55, 50}, {"w", 121, 100}, {"w", 121, 110}});
  REQUIRE(r.rows.size() == 5);
  CHECK(r.disagreeing_questions == 2);
  CHECK(r.rows[0].low == 100);
  CHECK(r.rows[0].high == 110);
  CHECK(r.rows[0].rows_in_question == 2);
  CHECK(r.rows[0].error == 0.0);   // inside [100, 110]
  CHECK(r.rows[1].error == 0.0);
  CHECK(r.rows[2].rows_in_question == 1);
  CHECK(r.rows[2].error == Approx(0.1));   // a question of one row: its plain error
  CHECK(r.rows[3].error == Approx(0.1));   // 121 against the nearer end, 110
  CHECK(r.rows[4].error == Approx(0.1));
  CHECK(against_ranges({{"s", 90, 100}, {"s", 90, 110}}).rows[1].error == Approx(-0.1));  // below: against 100
  CHECK(r.worst_abs_error == Approx(0.1));
  CHECK(r.median_abs_error == Approx(0.1));
  // The same value twice is not a disagreement.
  CHECK(against_ranges({{"u", 1, 2}, {"u", 1, 2}}).disagreeing_questions == 0);
}

TEST_CASE("rows of one question at different batches are a range of errors") {
  // Predicted 110 at one batch (measured 100: +10 %) and 104 at another (measured 80: +30 %):
  // both too fast, so the range's error is the one nearest zero, +10 %, for both rows.
  const RangeSummary r = against_ranges({{"q", 110, 100}, {"q", 104, 80}});
  CHECK(r.rows[0].error == Approx(0.10));
  CHECK(r.rows[1].error == Approx(0.10));
  CHECK(r.rows[1].low == 80);
  CHECK(r.rows[1].high == 100);
  // One row too fast, one too slow: the measurements bracket the model, no error.
  const RangeSummary s = against_ranges({{"q", 110, 100}, {"q", 95, 100.5}});
  CHECK(s.rows[0].error == 0.0);
  CHECK(s.worst_abs_error == 0.0);
  // Both too slow: the error nearest zero, -5 %.
  CHECK(against_ranges({{"q", 95, 100}, {"q", 80, 100}}).rows[1].error == Approx(-0.05));
}
