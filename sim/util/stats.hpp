// Order statistics used by reports and validation tables.
#pragma once

#include <vector>

namespace trainsim {

// The median (the mean of the two middle values for an even count); 0 for an empty set.
[[nodiscard]] double median(std::vector<double> v);

// The nearest-rank percentile, q in [0, 1]; 0 for an empty set.
[[nodiscard]] double percentile(std::vector<double> v, double q);

}  // namespace trainsim
