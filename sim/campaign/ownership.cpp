#include "sim/campaign/ownership.hpp"

#include <stdexcept>

#include "sim/campaign/economics.hpp"

namespace trainsim::campaign {

const GpuPurchase* BuyRentData::purchase(const std::string& gpu) const {
  for (const auto& g : gpus) {
    if (g.gpu == gpu) return &g;
  }
  return nullptr;
}

const HostPurchase* BuyRentData::host(int n) const {
  const HostPurchase* best = nullptr;
  for (const auto& h : hosts) {
    if (h.max_gpus >= n && (best == nullptr || h.max_gpus < best->max_gpus)) best = &h;
  }
  return best;
}

const CloudPrice* BuyRentData::cloud_price(const std::string& gpu) const {
  for (const auto& c : cloud) {
    if (c.gpu == gpu) return &c;
  }
  return nullptr;
}

std::optional<double> node_purchase_usd(const BuyRentData& d, const std::string& gpu, int gpus) {
  const GpuPurchase* g = d.purchase(gpu);
  const HostPurchase* h = d.host(gpus);
  if (g == nullptr || h == nullptr) return std::nullopt;
  return gpus * g->usd.value + h->usd.value;
}

std::optional<double> amortised_node_usd_per_gpu_hour(const BuyRentData& d, const std::string& gpu, int gpus) {
  const auto node = node_purchase_usd(d, gpu, gpus);
  if (!node) return std::nullopt;
  return *node / gpus / (d.lifetime_years * kHoursPerYear * d.utilisation);
}

double electricity_usd(const BuyRentData& d, double kwh) { return kwh * d.usd_per_kwh.value * d.cooling_overhead.value; }

BuyRent buy_or_rent(const BuyRentData& d, const std::string& node, const std::string& gpu, int gpus, double wall_hours,
                    double gpu_hours, double kwh, const std::vector<int>& per_year) {
  const auto purchase = node_purchase_usd(d, gpu, gpus);
  const CloudPrice* cloud = d.cloud_price(gpu);
  if (!purchase || cloud == nullptr) throw std::invalid_argument("buy_or_rent: no purchase or cloud price for " + gpu);
  BuyRent out;
  out.node = node;
  out.gpu = gpu;
  out.gpus = gpus;
  out.purchase_usd = *purchase;
  out.electricity_usd = electricity_usd(d, kwh);
  out.wall_hours = wall_hours;
  out.gpu_hours = gpu_hours;
  const double rented = gpu_hours * cloud->on_demand_usd_per_gpu_hour;
  if (rented > out.electricity_usd) out.break_even_per_year = *purchase / d.lifetime_years / (rented - out.electricity_usd);
  for (int n : per_year) {
    BuyRentRow r;
    r.campaigns_per_year = n;
    r.owned_usd = *purchase / (d.lifetime_years * n) + out.electricity_usd;
    r.rented_usd = rented;
    if (cloud->spot_usd_per_gpu_hour) r.rented_spot_usd = gpu_hours * *cloud->spot_usd_per_gpu_hour;
    r.fits_in_a_year = n * wall_hours <= kHoursPerYear;
    out.rows.push_back(r);
  }
  return out;
}

}  // namespace trainsim::campaign
