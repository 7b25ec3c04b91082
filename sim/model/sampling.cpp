#include "sim/model/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace trainsim {

namespace {

// t_0.975 for 1..30 degrees of freedom (any statistics table, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
constexpr double kT975[30] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                              2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                              2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

struct Moments {
  double mean = 0;
  double var = 0;  // sample variance (n - 1)
};

Moments moments(std::span<const double> v) {
  Moments m;
  if (v.empty()) return m;
  double sum = 0;
  for (double x : v) sum += x;
  m.mean = sum / static_cast<double>(v.size());
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - m.mean) * (x - m.mean);
    m.var = ss / static_cast<double>(v.size() - 1);
  }
  return m;
}

// The batch means of the newest b*m observations; b chosen as batch_means() documents.
std::vector<double> batch_mean_values(std::span<const double> x, int batches) {
  const auto n = static_cast<long long>(x.size());
  long long b = batches;
  if (n < 2 * b) b = std::max<long long>(2, n / 2);
  if (n < b) return {};
  const long long m = n / b;
  const long long skip = n - b * m;
  std::vector<double> means;
  for (long long i = 0; i < b; ++i) {
    double sum = 0;
    for (long long j = 0; j < m; ++j) sum += x[static_cast<std::size_t>(skip + i * m + j)];
    means.push_back(sum / static_cast<double>(m));
  }
  return means;
}

}  // namespace

double student_t_975(int dof) {
  if (dof < 1) return std::numeric_limits<double>::infinity();
  if (dof <= 30) return kT975[dof - 1];
  // Cornish-Fisher: t = z + (z^3 + z) / (4 nu) + (5 z^5 + 16 z^3 + 3 z) / (96 nu^2), z = 1.959964.
  const double z = 1.959964, nu = dof;
  return z + (z * z * z + z) / (4 * nu) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * nu * nu);
}

MeanEstimate batch_means(std::span<const double> x, int batches) {
  MeanEstimate e;
  e.n = static_cast<long long>(x.size());
  e.mean = moments(x).mean;
  const std::vector<double> means = batch_mean_values(x, batches);
  if (x.size() < 4 || means.size() < 2) {
    e.half_width = std::numeric_limits<double>::infinity();
    return e;
  }
  const Moments bm = moments(means);
  const auto b = static_cast<double>(means.size());
  e.half_width = student_t_975(static_cast<int>(means.size()) - 1) * std::sqrt(bm.var / b);
  return e;
}

bool halves_agree(std::span<const double> x, int batches) {
  const std::vector<double> means = batch_mean_values(x, batches);
  if (means.size() < 4) return false;
  const std::size_t h = means.size() / 2;
  const Moments a = moments(std::span<const double>(means).first(h));
  const Moments b = moments(std::span<const double>(means).subspan(h));
  const double se = std::sqrt(a.var / static_cast<double>(h) + b.var / static_cast<double>(means.size() - h));
  // The relative slack absorbs rounding when every observation is the same (no jitter at all).
  const double slack = 1e-9 * std::abs(a.mean + b.mean);
  return std::abs(a.mean - b.mean) <= student_t_975(static_cast<int>(means.size()) - 2) * se + slack;
}

bool sample_is_enough(std::span<const double> completed, long long committed, const SamplingRule& rule) {
  const auto n = static_cast<long long>(completed.size());
  if (n < std::max(4, rule.min_steady) || committed < n) return false;
  if (!halves_agree(completed, rule.batches)) return false;
  const MeanEstimate e = batch_means(completed, rule.batches);
  if (!(e.mean > 0) || !std::isfinite(e.half_width)) return false;
  const double projected = e.half_width * std::sqrt(static_cast<double>(n) / static_cast<double>(committed));
  return projected <= rule.rel_half_width * e.mean;
}

}  // namespace trainsim
