#include "sim/input/buy_rent_io.hpp"

#include "sim/input/catalog_io.hpp"
#include "sim/input/yaml.hpp"

namespace trainsim::io {

namespace {

campaign::Sourced sourced(const YNode& parent, const std::string& key, const std::string& value_key, double min, double max,
                          const std::string& expected) {
  const YNode n = parent.require(key, "{" + value_key + ", source}");
  n.expect_map("{" + value_key + ", source}");
  n.allow_only({value_key, "source"});
  return {n.require(value_key, expected).as_double(min, max, expected), n.require("source", "where the figure comes from").as_string()};
}

std::string gpu_key(const YNode& map, const std::string& key, const Catalog& catalog) {
  if (catalog.find_gpu(key) == nullptr) throw map.get(key).error(key, "a GPU name of the catalog (platforms/gpus.yaml)");
  return key;
}

}  // namespace

campaign::BuyRentData parse_buy_rent(const std::string& text, const std::string& file, const Catalog& catalog) {
  const YNode root = YNode::parse(text, file);
  root.expect_map("a map");
  campaign::BuyRentData d;
  d.usd_per_kwh = sourced(root, "electricity", "usd_per_kwh", 0, 10, "USD per kWh, 0 to 10");
  d.cooling_overhead = sourced(root, "cooling", "overhead", 1, 5, "a PUE, 1 to 5");
  const YNode own = root.require("ownership", "{lifetime_years, utilisation, rationale}");
  own.expect_map("{lifetime_years, utilisation, rationale}");
  own.allow_only({"lifetime_years", "utilisation", "rationale"});
  d.lifetime_years = own.require("lifetime_years", "years").as_double(0.1, 30, "years, 0.1 to 30");
  d.utilisation = own.require("utilisation", "a fraction").as_double(0.01, 1, "a fraction of the time, 0.01 to 1");
  d.lifetime_source = own.require("rationale", "why these figures").as_string();
  const YNode purchase = root.require("purchase", "a map from GPU name to {usd, condition, source}");
  purchase.expect_map("a map from GPU name to {usd, condition, source}");
  for (const std::string& key : purchase.keys()) {
    const YNode g = purchase.get(key);
    g.expect_map("{usd, condition, source}");
    g.allow_only({"usd", "condition", "source"});
    d.gpus.push_back({gpu_key(purchase, key, catalog),
                      {g.require("usd", "USD per card").as_double(0, 1e7, "USD per card, 0 or more"),
                       g.require("source", "where the price comes from").as_string()},
                      g.require("condition", "new or used").as_enum({"new", "used"})});
  }
  for (const YNode& h : root.require("hosts", "a list of {max_gpus, description, usd, source}").items("a list of hosts")) {
    h.expect_map("{max_gpus, description, usd, source}");
    h.allow_only({"max_gpus", "description", "usd", "source"});
    d.hosts.push_back({static_cast<int>(h.require("max_gpus", "GPUs").as_int(1, 64, "1 to 64 GPUs")),
                       h.require("description", "what the host is").as_string(),
                       {h.require("usd", "USD").as_double(0, 1e7, "USD, 0 or more"), h.require("source", "where the price comes from").as_string()}});
  }
  const YNode cloud = root.require("cloud", "a map from GPU name to {on_demand, spot, provider, date, source}");
  cloud.expect_map("a map from GPU name to {on_demand, spot, provider, date, source}");
  for (const std::string& key : cloud.keys()) {
    const YNode c = cloud.get(key);
    c.expect_map("{on_demand, spot, provider, date, source}");
    c.allow_only({"on_demand", "spot", "provider", "date", "source"});
    campaign::CloudPrice p;
    p.gpu = gpu_key(cloud, key, catalog);
    p.on_demand_usd_per_gpu_hour = c.require("on_demand", "USD per GPU-hour").as_double(0, 1e4, "USD per GPU-hour, 0 or more");
    if (c.get("spot").defined()) p.spot_usd_per_gpu_hour = c.get("spot").as_double(0, 1e4, "USD per GPU-hour, 0 or more");
    p.provider = c.require("provider", "who rents it").as_string();
    p.date = c.require("date", "when (YYYY-MM)").as_string();
    p.source = c.require("source", "where the price comes from").as_string();
    d.cloud.push_back(p);
  }
  return d;
}

const campaign::BuyRentData& default_buy_rent(const Catalog& catalog) {
  static const campaign::BuyRentData d = [&] {
    const std::string path = data_dir() + "/platforms/economics.yaml";
    return parse_buy_rent(read_text_file(path, "the economics defaults"), path, catalog);
  }();
  return d;
}

}  // namespace trainsim::io
