// Buy or rent (docs/advise.md): what owning a node costs per campaign against renting it, from the
// purchase prices, electricity, cooling, lifetime and utilisation of platforms/economics.yaml.
//
//   amortised $/GPU-h   = (GPU price + host price / GPUs) / (lifetime years x 8,760 h x utilisation)
//   electricity $       = kWh x $/kWh x cooling overhead (PUE: facility energy / IT energy)
//   owned, per campaign = (GPUs x GPU price + host price) / (lifetime years x N campaigns a year)
//                         + electricity $ of one campaign
//   rented, per campaign = GPU-hours x $/GPU-h (on demand, or spot), electricity included
//   break-even N        = purchase / lifetime / (rented - electricity), campaigns a year
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trainsim::campaign {

struct Sourced {
  double value = 0;
  std::string source;
};

// A GPU that can be bought: its price per card.
struct GpuPurchase {
  std::string gpu;  // catalog name
  Sourced usd;
  std::string condition;  // new | used
};

// The rest of a node around its GPUs (CPU, board, memory, power supply, case), for nodes of up to
// `max_gpus` GPUs.
struct HostPurchase {
  int max_gpus = 1;
  std::string description;
  Sourced usd;
};

struct CloudPrice {
  std::string gpu;
  double on_demand_usd_per_gpu_hour = 0;
  std::optional<double> spot_usd_per_gpu_hour;
  std::string provider;
  std::string date;
  std::string source;
};

struct BuyRentData {
  Sourced usd_per_kwh;
  Sourced cooling_overhead;  // PUE, >= 1
  double lifetime_years = 3;
  double utilisation = 0.5;
  std::string lifetime_source;
  std::vector<GpuPurchase> gpus;
  std::vector<HostPurchase> hosts;
  std::vector<CloudPrice> cloud;
  [[nodiscard]] const GpuPurchase* purchase(const std::string& gpu) const;
  [[nodiscard]] const HostPurchase* host(int gpus) const;  // the smallest host for that many
  [[nodiscard]] const CloudPrice* cloud_price(const std::string& gpu) const;
};

// The purchase price of a node of `gpus` such GPUs; none when the GPU or a host for it has no price.
[[nodiscard]] std::optional<double> node_purchase_usd(const BuyRentData& d, const std::string& gpu, int gpus);
[[nodiscard]] std::optional<double> amortised_node_usd_per_gpu_hour(const BuyRentData& d, const std::string& gpu, int gpus);
[[nodiscard]] double electricity_usd(const BuyRentData& d, double kwh);

struct BuyRentRow {
  int campaigns_per_year = 1;
  double owned_usd = 0;       // per campaign
  double rented_usd = 0;      // per campaign, on demand
  std::optional<double> rented_spot_usd;
  bool fits_in_a_year = true;  // N x wall hours <= 8,760: one node can run them
};

struct BuyRent {
  std::string node;
  std::string gpu;
  int gpus = 0;
  double purchase_usd = 0;
  double electricity_usd = 0;  // one campaign
  double wall_hours = 0;
  double gpu_hours = 0;
  std::optional<double> break_even_per_year;  // none: renting never costs more than the electricity
  std::vector<BuyRentRow> rows;
};

// Owning this node against renting the same GPUs, for each number of campaigns a year.
// Throws std::invalid_argument when the GPU has no purchase or cloud price (the caller checks).
[[nodiscard]] BuyRent buy_or_rent(const BuyRentData& d, const std::string& node, const std::string& gpu, int gpus,
                                  double wall_hours, double gpu_hours, double kwh, const std::vector<int>& per_year);

}  // namespace trainsim::campaign
