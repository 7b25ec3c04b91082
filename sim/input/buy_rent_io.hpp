// The buy-or-rent figures of platforms/economics.yaml (electricity, cooling, ownership, purchase,
// hosts, cloud), each with its source (docs/advise.md).
#pragma once

#include <string>

#include "sim/campaign/ownership.hpp"
#include "sim/hw/catalog.hpp"

namespace trainsim::io {

// Throws InputError at the key at fault; GPU names must be the catalog's.
[[nodiscard]] campaign::BuyRentData parse_buy_rent(const std::string& text, const std::string& file, const Catalog& catalog);
// platforms/economics.yaml of the data folder, loaded once per process.
[[nodiscard]] const campaign::BuyRentData& default_buy_rent(const Catalog& catalog);

}  // namespace trainsim::io
