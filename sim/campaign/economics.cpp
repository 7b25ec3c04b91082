#include "sim/campaign/economics.hpp"

#include <cmath>

#include "sim/hw/gpu.hpp"
#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::campaign {

double amortised_usd_per_gpu_hour(const OnPremises& o) {
  if (!(o.purchase_usd >= 0) || !std::isfinite(o.purchase_usd)) {
    throw InputError({}, "on_premises.purchase_usd", format_double(o.purchase_usd), "a price >= 0 USD");
  }
  if (!(o.lifetime_years > 0) || !std::isfinite(o.lifetime_years)) {
    throw InputError({}, "on_premises.lifetime_years", format_double(o.lifetime_years), "a lifetime > 0 years");
  }
  if (!(o.utilisation > 0) || !(o.utilisation <= 1)) {
    throw InputError({}, "on_premises.utilisation", format_double(o.utilisation), "a fraction in (0, 1]");
  }
  return o.purchase_usd / (o.lifetime_years * kHoursPerYear * o.utilisation);
}

std::optional<Price> resolve_price(const std::vector<PriceRule>& rules, const std::string& node, const GpuSpec& gpu) {
  for (const std::string& key : {node, gpu.name}) {
    for (const auto& r : rules) {
      if (r.key == key) return r.price;
    }
  }
  if (gpu.price) return Price{gpu.price->usd_per_gpu_hour, gpu.price->source};
  return std::nullopt;
}

}  // namespace trainsim::campaign
