#include "sim/model/jitter.hpp"

#include <cmath>

namespace trainsim {

namespace {
std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
}  // namespace

double uniform01(std::uint64_t seed, JitterStream stream, std::uint64_t rank, std::uint64_t index) noexcept {
  std::uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ static_cast<std::uint64_t>(stream));
  h = splitmix64(h ^ rank);
  h = splitmix64(h ^ index);
  // 53 random bits, offset by half a step so that 0 and 1 never occur
  return (static_cast<double>(h >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

double lognormal_factor(double cv, std::uint64_t seed, JitterStream stream, std::uint64_t rank,
                        std::uint64_t index) noexcept {
  if (cv <= 0) return 1.0;
  const double sigma2 = std::log1p(cv * cv);
  const double mu = -0.5 * sigma2;
  const double u1 = uniform01(seed, stream, rank, 2 * index);
  const double u2 = uniform01(seed, stream, rank, 2 * index + 1);
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  return std::exp(mu + std::sqrt(sigma2) * z);
}

}  // namespace trainsim
