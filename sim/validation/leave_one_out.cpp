#include "sim/validation/leave_one_out.hpp"

#include <algorithm>
#include <cmath>

#include "sim/util/stats.hpp"

namespace trainsim::validation {

LogoSummary leave_one_gpu_out(const std::vector<LogoInput>& rows) {
  LogoSummary s;
  std::vector<double> abs_errors;
  bool first = true;
  for (const auto& held_out : rows) {
    double log_sum = 0;
    int n = 0;
    for (const auto& r : rows) {
      if (r.gpu == held_out.gpu || !(r.predicted > 0) || !(r.published > 0)) continue;
      log_sum += std::log(r.published / r.predicted);
      ++n;
    }
    LogoRow out;
    out.factor = n > 0 ? std::exp(log_sum / n) : 1.0;
    out.error = held_out.published > 0 ? (out.factor * held_out.predicted - held_out.published) / held_out.published : 0.0;
    abs_errors.push_back(std::fabs(out.error));
    s.min_factor = first ? out.factor : std::min(s.min_factor, out.factor);
    s.max_factor = first ? out.factor : std::max(s.max_factor, out.factor);
    first = false;
    s.rows.push_back(out);
  }
  s.median_abs_error = median(abs_errors);
  s.worst_abs_error = abs_errors.empty() ? 0.0 : *std::max_element(abs_errors.begin(), abs_errors.end());
  return s;
}

}  // namespace trainsim::validation
