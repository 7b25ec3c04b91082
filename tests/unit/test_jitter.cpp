#include <catch2/catch.hpp>

#include <cmath>

#include "sim/model/jitter.hpp"

using namespace trainsim;

TEST_CASE("lognormal jitter: mean 1, the asked coefficient of variation, reproducible") {
  // With sigma^2 = ln(1 + cv^2) and mu = -sigma^2/2, E[X] = exp(mu + sigma^2/2) = 1 and
  // Var[X] = (exp(sigma^2) - 1) E[X]^2 = cv^2.
  const double cv = 0.1;
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = lognormal_factor(cv, 42, JitterStream::compute, 3, static_cast<std::uint64_t>(i));
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum2 / n - mean * mean);
  CHECK(mean == Approx(1.0).margin(0.002));      // 4 standard errors: 4 * 0.1 / sqrt(2e5) = 0.0009
  CHECK(sd == Approx(cv).margin(0.002));
  CHECK(lognormal_factor(cv, 42, JitterStream::compute, 3, 17) == lognormal_factor(cv, 42, JitterStream::compute, 3, 17));
  CHECK(lognormal_factor(cv, 42, JitterStream::compute, 3, 17) != lognormal_factor(cv, 43, JitterStream::compute, 3, 17));
  CHECK(lognormal_factor(0.0, 42, JitterStream::loader, 0, 0) == 1.0);
}

#include "sim/util/stats.hpp"

TEST_CASE("median and nearest-rank percentile") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(median({}) == 0);
  // nearest rank: ceil(q n)-th smallest. n = 10: p50 is the 5th, p99 the 10th.
  const std::vector<double> v{10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  CHECK(percentile(v, 0.5) == 5);
  CHECK(percentile(v, 0.99) == 10);
  CHECK(percentile(v, 0.0) == 1);
}
