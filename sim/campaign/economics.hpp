// Money, energy and carbon of a campaign: the figures a campaign file gives (or their defaults from
// platforms/economics.yaml and the GPU catalog) and the formulas that use them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/hw/gpu.hpp"
#include "sim/hw/units.hpp"
#include "sim/util/error.hpp"

namespace trainsim::campaign {

inline constexpr double kHoursPerYear = 8760;  // 365 days

// A GPU bought rather than rented: its price spread over the hours it will be used.
//   $/GPU-h = purchase / (lifetime years x 8760 h x utilisation)
struct OnPremises {
  double purchase_usd = 0;
  double lifetime_years = 3;
  double utilisation = 1;  // the fraction of its life the GPU is busy with paid-for work
};

// Throws InputError unless purchase >= 0, lifetime > 0 and 0 < utilisation <= 1.
[[nodiscard]] double amortised_usd_per_gpu_hour(const OnPremises& o);

struct Price {
  double usd_per_gpu_hour = 0;
  std::string source;  // who charges it and when, or how it was amortised
};

struct Economics {
  double researcher_usd_per_hour = 0;  // the people who wait for the campaign
  double carbon_kg_per_kwh = 0;        // grid carbon intensity
  std::string carbon_source;
  Watts host_w_per_core = 0;           // host power (sim/model/power.hpp)
  Watts host_w_per_socket = 0;
  std::string host_source;
};

// What one platform's node costs and draws.
struct NodeEconomics {
  int gpus = 1;
  Watts gpu_idle_w = 0;
  Watts gpu_tdp_w = 0;
  Watts host_w = 0;              // the whole host, while the campaign runs
  std::optional<Price> price;    // none: no price known for this GPU (costs are not reported)
};

[[nodiscard]] inline double kwh_to_co2_kg(double kwh, double kg_per_kwh) { return kwh * kg_per_kwh; }

}  // namespace trainsim::campaign

namespace trainsim::campaign {

// A price a campaign file sets for a node preset or a GPU of the catalog (on-premises prices are
// already amortised into usd_per_gpu_hour).
struct PriceRule {
  std::string key;  // a node preset name or a GPU catalog name
  Price price;
  SourceLocation where;
};

// The price for a platform: a rule for its node, else a rule for its GPU, else the catalog's
// price for the GPU, else none.
[[nodiscard]] std::optional<Price> resolve_price(const std::vector<PriceRule>& rules, const std::string& node,
                                                 const GpuSpec& gpu);

}  // namespace trainsim::campaign
