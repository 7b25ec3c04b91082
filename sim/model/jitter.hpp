// Seeded jitter that does not depend on the order in which the simulation asks for it: every draw
// is a pure function of (seed, stream, rank, index), so the same scenario and seed give
// bit-identical results however the activity graph is built.
#pragma once

#include <cstdint>

namespace trainsim {

enum class JitterStream : std::uint64_t { compute = 1, loader = 2, other = 3 };

// splitmix64 of the combined key, mapped to (0, 1).
[[nodiscard]] double uniform01(std::uint64_t seed, JitterStream stream, std::uint64_t rank, std::uint64_t index) noexcept;

// A lognormal factor with mean 1 and coefficient of variation cv (cv = 0 gives exactly 1):
//   sigma^2 = ln(1 + cv^2), mu = -sigma^2 / 2, factor = exp(mu + sigma z), z ~ N(0, 1) by Box-Muller.
[[nodiscard]] double lognormal_factor(double cv, std::uint64_t seed, JitterStream stream, std::uint64_t rank,
                                      std::uint64_t index) noexcept;

}  // namespace trainsim
