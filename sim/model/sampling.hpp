// Statistics of the sampled replay (`--replay sampled`): the confidence interval of a mean from
// correlated observations (iteration times that share a loader queue are not independent), a
// check that a sample has no trend, and the rule that says when a sample is large enough.
#pragma once

#include <span>

namespace trainsim {

// The two-sided 95 % quantile of Student's t with `dof` degrees of freedom (t_0.975): a table for
// 1 to 30 (to 4 digits), the Cornish-Fisher expansion above. dof >= 1.
[[nodiscard]] double student_t_975(int dof);

// A mean and the half-width of its 95 % confidence interval: the true mean lies in
// [mean - half_width, mean + half_width] with 95 % confidence.
struct MeanEstimate {
  double mean = 0;
  double half_width = 0;
  long long n = 0;  // observations used
};

// The method of non-overlapping batch means: the last b*m observations (m = n / b, the oldest
// n mod b dropped) cut into b batches of m; the batch means are nearly independent even when the
// observations are not, so half_width = t_0.975(b-1) * s_batch / sqrt(b), with s_batch the sample
// standard deviation of the batch means. With fewer than 2*b observations, b = n / 2 batches
// (at least 2). Fewer than 4 observations: half_width is infinite.
[[nodiscard]] MeanEstimate batch_means(std::span<const double> x, int batches = 10);

// True when the first and second halves of the batch means agree: |m1 - m2| <= t_0.975(b-2) *
// sqrt(s1^2/h1 + s2^2/h2) (Welch-like, pooled degrees of freedom). A sample that still drifts
// (a warm-up not over, a queue that fills) fails it. Fewer than 4 batches: false.
[[nodiscard]] bool halves_agree(std::span<const double> x, int batches = 10);

// When to stop sampling an epoch.
struct SamplingRule {
  double rel_half_width = 0.005;  // target: 95 % CI half-width of the mean iteration time / mean
  int warmup = 2;                 // iterations at the start of each epoch left out of the sample (at least 1)
  int min_steady = 10;            // observations needed before the rule may stop
  int batches = 10;               // batch means
};

// Epochs shorter than this are replayed whole, every one of them: too short to sample. An epoch
// with at least 4 steady iterations (the fewest batch_means gives a finite CI from) is sampled as a
// long one: the first of its shape, replayed whole (it never reaches min_steady, so it is not cut),
// stands for the others with the CI of its steady sample (wide: few batches, Student's t). Many
// GPUs make epochs short (ResNet-50 on 512 GPUs: 10 iterations), and replaying each of them
// would cost the full replay.
[[nodiscard]] inline long long sample_from(const SamplingRule& rule) { return (rule.warmup > 1 ? rule.warmup : 1) + 4; }

// `completed`: the steady iteration times finished so far; `committed`: how many steady
// iterations the epoch will have in all if it stops now (some are built but not finished). True
// when completed >= min_steady, the halves agree, and the half-width projected to `committed`
// observations (h * sqrt(completed / committed)) is within rel_half_width of the mean. The CI
// finally reported is computed again from the whole sample, whatever this projection said.
[[nodiscard]] bool sample_is_enough(std::span<const double> completed, long long committed, const SamplingRule& rule);

}  // namespace trainsim
