#include "sim/cli/advise_setup.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "sim/cli/args.hpp"
#include "sim/input/advise_input.hpp"
#include "sim/input/cluster_io.hpp"
#include "sim/input/campaign_io.hpp"
#include "sim/input/economics_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/input/yaml.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

constexpr std::size_t kLeading = 3;

std::vector<campaign::PresetShape> compact_presets() {
  std::vector<campaign::PresetShape> out;
  for (const std::string& name : io::preset_names()) {
    const std::string path = io::node_file_path(name);
    const io::YNode root = io::YNode::parse(io::read_text_file(path, "a node file"), path);
    if (!root.is_map() || !root.has("gpu")) continue;  // full form
    const CompactNodeSpec c = io::parse_compact_node(root);
    out.push_back({name, c.gpu, c.count, c.interconnect});
  }
  return out;
}

void add_source(std::vector<std::pair<std::string, std::string>>& list, const std::string& what, const std::string& source) {
  if (source.empty()) return;
  if (std::find(list.begin(), list.end(), std::make_pair(what, source)) == list.end()) list.emplace_back(what, source);
}

}  // namespace

io::CampaignFile load_advise_input(const std::string& path, const Catalog& catalog) {
  return io::load_campaign_or_scenario(path, catalog);
}

// Cluster presets join the default candidates up to this many GPUs; a flat ring over 32 or more
// GPUs costs 10 to 20 CPU s a simulation to replay (docs/performance.md), so the larger clusters
// are candidates only when --candidates names them.
constexpr int kMaxDefaultClusterGpus = 16;

// The node presets, then the cluster presets small enough to replay in seconds.
std::vector<std::string> default_presets(const Catalog& catalog) {
  std::vector<std::string> out = io::preset_names();
  for (const auto& name : io::cluster_preset_names()) {
    const NodeSpec node = io::load_node(name, catalog);
    const auto gpus = std::count_if(node.vertices.begin(), node.vertices.end(),
                                    [](const VertexSpec& v) { return v.kind == VertexKind::gpu; });
    if (gpus <= kMaxDefaultClusterGpus) out.push_back(name);
  }
  return out;
}

std::vector<campaign::Candidate> candidates_from(const std::vector<std::string>& values, const Catalog& catalog) {
  std::vector<std::string> items;
  for (const auto& v : values) {
    for (const auto& item : split(v, ',')) {
      if (!trim(item).empty()) items.push_back(trim(item));
    }
  }
  if (items.empty()) items.emplace_back("all");
  std::vector<campaign::Candidate> out;
  const auto listed = [&](const std::string& name) {
    return std::any_of(out.begin(), out.end(), [&](const campaign::Candidate& c) { return c.name == name; });
  };
  for (const auto& item : items) {
    if (item == "all") {
      for (auto& c : campaign::default_candidates(catalog, compact_presets(), default_presets(catalog))) {
        if (!listed(c.name)) out.push_back(std::move(c));
      }
      continue;
    }
    (void)io::node_file_path(item, {"command line"}, "--candidates");  // an unknown name fails here, before anything runs
    const std::string name = std::filesystem::path(item).stem().string();
    if (!listed(name)) out.push_back({name, item, "command line"});
  }
  return out;
}

std::vector<int> parse_counts(const std::string& text, const std::string& option) {
  std::vector<int> out;
  for (const auto& item : split(text, ',')) {
    const std::string t = trim(item);
    std::size_t used = 0;
    int n = 0;
    try {
      n = std::stoi(t, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != t.size() || t.empty() || n < 1 || n > 1000) {
      throw UsageError("trainsim advise: " + option + ": '" + t + "': expected whole numbers from 1 to 1000, comma-separated");
    }
    out.push_back(n);
  }
  return out;
}

io::AdviceView advice_view(const io::CampaignFile& file, const AdviseResult& result, const campaign::Constraints& constraints,
                           const campaign::BuyRentData& money, const std::string& own, const std::vector<int>& per_year) {
  io::AdviceView v;
  v.campaign = file.name;
  v.title = "trainsim advise: " + file.name;
  v.file = file.file;
  v.constraints = constraints;
  v.simulations = result.simulations;
  v.carbon_kg_per_kwh = file.economics.carbon_kg_per_kwh;
  for (const auto& s : file.stages) v.stages.push_back(s.name);
  for (const auto& a : result.options) v.options.push_back(a.option);
  campaign::apply_constraints(v.options, constraints);
  campaign::mark_pareto(v.options);
  campaign::rank_options(v.options, constraints.objective);
  for (const auto& o : v.options) {
    if (!o.ok() || v.leading.size() >= kLeading) continue;
    for (const auto& a : result.options) {
      if (a.view && a.option.name == o.name && a.option.acquisition == o.acquisition) v.leading.push_back(*a.view);
    }
  }
  const campaign::Option* owned = nullptr;
  for (const auto& o : v.options) {
    if (o.ok() && o.name == own && owned == nullptr) owned = &o;
  }
  if (owned == nullptr) {
    v.buy_rent_note = "no comparison: " + own + " is not among the candidates that ran (--own NODE, --candidates)";
  } else if (!campaign::node_purchase_usd(money, owned->gpu, owned->gpus) || money.cloud_price(owned->gpu) == nullptr) {
    v.buy_rent_note = "no comparison: platforms/economics.yaml has no purchase, host or cloud price for " + own;
  } else {
    v.buy_rent = campaign::buy_or_rent(money, owned->name, owned->gpu, owned->gpus, owned->wall_hours, owned->gpu_hours, owned->kwh,
                                       per_year);
    add_source(v.sources, "purchase of a " + owned->gpu, money.purchase(owned->gpu)->usd.source);
    add_source(v.sources, "host of " + std::to_string(owned->gpus) + " GPUs (" + money.host(owned->gpus)->description + ")",
               money.host(owned->gpus)->usd.source);
  }
  add_source(v.sources, "electricity " + fixed(money.usd_per_kwh.value, 4) + " $/kWh", money.usd_per_kwh.source);
  add_source(v.sources, "cooling overhead (PUE) " + fixed(money.cooling_overhead.value, 2), money.cooling_overhead.source);
  add_source(v.sources, "lifetime " + fixed(money.lifetime_years, 0) + " years, utilisation " + fixed(money.utilisation * 100, 0) + " %",
             money.lifetime_source);
  for (const auto& o : v.options) {
    if (o.ok() && o.usd_per_gpu_hour) add_source(v.sources, o.gpu + " at $" + fixed(*o.usd_per_gpu_hour, 2) + "/GPU-h", o.price_source);
  }
  add_source(v.sources, "grid carbon " + fixed(file.economics.carbon_kg_per_kwh, 3) + " kg/kWh", file.economics.carbon_source);
  add_source(v.sources, "host power", file.economics.host_source);
  add_source(v.sources, "researcher time", "$" + fixed(file.economics.researcher_usd_per_hour, 0) + " per hour of the campaign's makespan (" +
                                               file.file + ")");
  add_source(v.sources, "times", "simulated by trainsim: each candidate's runs replayed on a SimGrid model of its node (docs/scenarios.md, docs/advise.md)");
  return v;
}

}  // namespace trainsim::cli
