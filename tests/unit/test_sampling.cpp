// The sampled replay's statistics: batch means, the trend check, the stopping rule, and which
// epochs a sampled replay simulates.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/engine/epoch_plan.hpp"
#include "sim/model/jitter.hpp"
#include "sim/model/sampling.hpp"

using namespace trainsim;

TEST_CASE("student t quantiles: the table, and the expansion beyond it") {
  CHECK(student_t_975(1) == Approx(12.706));
  CHECK(student_t_975(9) == Approx(2.262));
  CHECK(student_t_975(30) == Approx(2.042));
  // Cornish-Fisher at 60 and 120 degrees of freedom: tables give 2.000 and 1.980.
  CHECK(student_t_975(60) == Approx(2.000).margin(0.001));
  CHECK(student_t_975(120) == Approx(1.980).margin(0.001));
}

TEST_CASE("batch means: the half-width worked out by hand") {
  // 20 observations, 10 batches of 2: batch means 1, 2, ..., 10 (pairs (m - 0.5, m + 0.5)).
  std::vector<double> x;
  for (int m = 1; m <= 10; ++m) {
    x.push_back(m - 0.5);
    x.push_back(m + 0.5);
  }
  const MeanEstimate e = batch_means(x, 10);
  // mean 5.5; the batch means' sample variance is var(1..10) = 55/6 = 9.1667;
  // h = t(9) sqrt(9.1667 / 10) = 2.262 * 0.95743 = 2.16571
  CHECK(e.mean == Approx(5.5));
  CHECK(e.n == 20);
  CHECK(e.half_width == Approx(2.262 * std::sqrt(55.0 / 6.0 / 10.0)));
  // The oldest n mod b observations are left out of the batches, not of the mean.
  std::vector<double> y = x;
  y.insert(y.begin(), 1000.0);
  CHECK(batch_means(y, 10).half_width == Approx(e.half_width));
  CHECK(std::isinf(batch_means(std::vector<double>{1, 2, 3}, 10).half_width));
}

TEST_CASE("batch means cover the true mean of lognormal draws about 95 % of the time") {
  // 400 independent samples of 40 draws with mean 1 and cv 0.05: the 95 % interval must hold 1
  // in about 380 of them (binomial sd 4.4: 366 to 394 is 3 sd).
  int covered = 0;
  for (std::uint64_t s = 0; s < 400; ++s) {
    std::vector<double> x;
    for (std::uint64_t i = 0; i < 40; ++i) x.push_back(lognormal_factor(0.05, 7, JitterStream::other, s, i));
    const MeanEstimate e = batch_means(x, 10);
    covered += std::abs(e.mean - 1.0) <= e.half_width ? 1 : 0;
  }
  CHECK(covered >= 366);
  CHECK(covered <= 394);
}

TEST_CASE("halves_agree: a drifting sample fails, a flat one passes") {
  std::vector<double> flat, drift, constant(30, 0.25);
  for (std::uint64_t i = 0; i < 40; ++i) {
    const double j = lognormal_factor(0.01, 3, JitterStream::other, 0, i);
    flat.push_back(j);
    drift.push_back(j * (1 + 0.01 * static_cast<double>(i)));  // +40 % over the sample
  }
  CHECK(halves_agree(flat, 10));
  CHECK_FALSE(halves_agree(drift, 10));
  CHECK(halves_agree(constant, 10));  // no jitter at all: equal halves within rounding
}

TEST_CASE("sample_is_enough: the minimum, the projection, the target") {
  SamplingRule rule;  // 0.5 %, at least 10
  std::vector<double> x;
  for (std::uint64_t i = 0; i < 12; ++i) x.push_back(lognormal_factor(0.02, 5, JitterStream::other, 0, i));
  const MeanEstimate e = batch_means(x, rule.batches);
  const double rel = e.half_width / e.mean;
  REQUIRE(rel > rule.rel_half_width);  // 12 draws at cv 2 % are not enough on their own
  CHECK_FALSE(sample_is_enough(x, 12, rule));
  // committed iterations that will finish anyway shrink the projected half-width by sqrt(n / N)
  const auto enough = static_cast<long long>(std::ceil(12 * (rel / rule.rel_half_width) * (rel / rule.rel_half_width)));
  CHECK(sample_is_enough(x, enough + 1, rule));
  CHECK_FALSE(sample_is_enough(x, enough - 1, rule));
  CHECK_FALSE(sample_is_enough(std::vector<double>(x.begin(), x.begin() + 9), 1000, rule));  // under the minimum
}

namespace {
ReplayPlan plan(long long ipe, long long total, int validation_every, int checkpoint_every) {
  ReplayPlan p;
  p.iterations_per_epoch = ipe;
  p.total_iterations = total;
  p.validation_every = validation_every;
  p.checkpoint_every = checkpoint_every;
  return p;
}
std::vector<int> replayed(const std::vector<PlannedEpoch>& epochs) {
  std::vector<int> out;
  for (const auto& e : epochs) {
    if (e.replayed) out.push_back(e.epoch);
  }
  return out;
}
}  // namespace

TEST_CASE("plan_epochs: full replays all - sampled one of each shape, starts kept true") {
  // 10 epochs of 100, no validation or checkpoint: one shape.
  auto full = plan_epochs(plan(100, 1000, 0, 0), 1000, false);
  CHECK(replayed(full).size() == 10);
  auto one = plan_epochs(plan(100, 1000, 0, 0), 1000, true);
  CHECK(replayed(one) == std::vector<int>{0});
  CHECK(one[7].representative == 0);
  // Epochs too short to sample inside: the first kShortEpochSamples of the shape are replayed as
  // whole-epoch observations, and the others take them in turn.
  auto short10 = plan_epochs(plan(10, 100, 0, 0), 100, true, 12);
  CHECK(replayed(short10) == std::vector<int>{0, 1, 2, 3});
  CHECK(short10[4].representative == 0);
  CHECK(short10[5].representative == 1);
  CHECK(short10[9].representative == 1);
  CHECK(replayed(plan_epochs(plan(10, 30, 0, 0), 30, true, 12)).size() == 3);
  // The default rule samples an epoch from the warm-up plus 4 steady iterations (the fewest batch
  // means gives a CI from): 10-iteration epochs (ResNet-50 on 512 GPUs) are replayed once per
  // shape, 5-iteration ones four times (whole epochs as the observations).
  const SamplingRule rule;
  CHECK(sample_from(rule) == 6);
  CHECK(replayed(plan_epochs(plan(10, 100, 0, 0), 100, true, sample_from(rule))) == std::vector<int>{0});
  CHECK(replayed(plan_epochs(plan(5, 50, 0, 0), 50, true, sample_from(rule))).size() == 4);
  // A short last epoch (run by iterations) is a shape of its own.
  auto partial = plan_epochs(plan(100, 950, 0, 0), 950, true);
  CHECK(replayed(partial) == std::vector<int>{0, 9});
  CHECK(partial[9].iterations == 50);
  // Validation every 2, checkpoint every 4, 8 epochs. Shapes (validate, checkpoint, after a
  // checkpoint): e0 (-,-,-), e1 (V,-,-), e2 = e0, e3 (V,C,-), e4 (-,-,after), e5 = e1, e6 = e0,
  // e7 = e3. First of each: 0, 1, 3, 4. Epoch 3 follows 1 in the replay (no checkpoint either:
  // fine); 4 follows 3, which checkpoints, as its real predecessor does.
  auto mixed = plan_epochs(plan(10, 80, 2, 4), 80, true);
  CHECK(replayed(mixed) == std::vector<int>{0, 1, 3, 4});
  CHECK(mixed[3].checkpoint);
  CHECK(mixed[4].after_checkpoint);
  CHECK(mixed[6].representative == 0);
  CHECK(mixed[7].representative == 3);
  // Checkpoint every 3 and validation every 2, 12 epochs: e2 (-,C,-) is followed by e3
  // (V,-,after) and e5 (-,C,-) by e6 (-,-,after)... and e9 (V,-,after)'s shape first occurs at
  // e3. Whatever the shapes, every replayed epoch must follow a replayed epoch with the same
  // checkpoint flag as its real predecessor.
  auto tricky = plan_epochs(plan(10, 120, 2, 3), 120, true);
  bool previous = false;
  for (const auto& e : tricky) {
    if (!e.replayed) continue;
    CHECK(previous == e.after_checkpoint);
    previous = e.checkpoint;
  }
  for (const auto& e : tricky) CHECK(tricky[static_cast<std::size_t>(e.representative)].replayed);
}
