#include "sim/cli/advise_run.hpp"

#include <algorithm>

#include "sim/cli/campaign_view.hpp"
#include "sim/cli/child_run.hpp"
#include "sim/cli/commands.hpp"
#include "sim/input/campaign_plan.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/sweep/pool.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

const SourceLocation kCandidates{"--candidates"};

campaign::Option failed(const campaign::Candidate& c, const std::string& error) {
  campaign::Option o;
  o.name = c.name;
  o.error = error;
  return o;
}

}  // namespace

std::optional<campaign::Price> rent_price(const io::CampaignFile& file, const campaign::BuyRentData& d, const std::string& node,
                                          const GpuSpec& gpu) {
  const bool own_rule = std::any_of(file.prices.begin(), file.prices.end(),
                                    [&](const campaign::PriceRule& r) { return r.key == node || r.key == gpu.name; });
  if (!own_rule) {
    if (const campaign::CloudPrice* c = d.cloud_price(gpu.name)) {
      return campaign::Price{c->on_demand_usd_per_gpu_hour, c->provider + " on demand (" + c->date + "): " + c->source};
    }
  }
  return campaign::resolve_price(file.prices, node, gpu);
}

AdviseResult run_candidates(const AdviseSetup& setup, const Catalog& catalog) {
  const io::CampaignFile& file = *setup.file;
  struct Planned {
    std::optional<io::CampaignPlan> plan;
    std::string error;
    std::size_t first = 0;  // index of its first simulation in `scenarios`
  };
  std::vector<Planned> planned;
  std::vector<Scenario> scenarios;
  for (const auto& c : setup.candidates) {
    Planned p;
    try {
      p.plan = io::plan_campaign(file, {{c.ref, kCandidates}}, catalog, io::default_loader_costs(), setup.calibration);
      p.first = scenarios.size();
      for (const auto& sim : p.plan->simulations) scenarios.push_back(sim.scenario);
    } catch (const InputError& e) {
      p.error = e.what();
    }
    planned.push_back(std::move(p));
  }
  AdviseResult out;
  out.simulations = static_cast<int>(scenarios.size());
  for (std::size_t k = 0; k < planned.size(); ++k) {
    if (planned[k].plan) {
      ++out.planned;
    } else if (setup.check) {
      out.options.push_back({failed(setup.candidates[k], planned[k].error), std::nullopt});
    }
  }
  if (setup.check) return out;
  sweep::PoolOptions pool;
  pool.jobs = setup.jobs;
  pool.replay = setup.replay;
  pool.sampling = setup.sampling;
  pool.runner = run_command_forked;
  pool.progress = setup.progress;
  std::vector<long long> indices(scenarios.size());
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<long long>(i);
  const std::vector<sweep::PointOutcome> outcomes = sweep::run_points(scenarios, indices, pool);

  for (std::size_t k = 0; k < setup.candidates.size(); ++k) {
    const campaign::Candidate& c = setup.candidates[k];
    const Planned& p = planned[k];
    if (!p.plan) {
      out.options.push_back({failed(c, p.error), std::nullopt});
      continue;
    }
    const io::PlatformPlan& pp = p.plan->platforms.front();
    std::vector<ChildOutcome> results;
    std::string error;
    for (std::size_t s = 0; s < p.plan->simulations.size(); ++s) {
      const sweep::PointOutcome& o = outcomes[p.first + s];
      if (!o.ok() && error.empty()) error = "the simulation of " + p.plan->simulations[s].run + " " + o.status + ": " + o.error;
      results.push_back({o.ok(), o.summary, o.error});
    }
    if (!error.empty()) {
      campaign::Option f = failed(c, error);
      f.gpu = pp.gpu->name;
      f.gpus = pp.gpus;
      out.options.push_back({f, std::nullopt});
      continue;
    }
    if (setup.rent) {
      io::PlatformView v = view_of(pp, file, *setup.graph, results, rent_price(file, *setup.buy_rent, c.ref, *pp.gpu));
      campaign::Option o = option_of(v, pp, results);
      o.name = c.name;
      out.options.push_back({o, v});
    }
    if (setup.buy) {
      const auto amortised = campaign::amortised_node_usd_per_gpu_hour(*setup.buy_rent, pp.gpu->name, pp.gpus);
      if (!amortised) continue;  // no purchase price for this GPU or no host for this many: not a buying option
      const campaign::Price price{*amortised, "bought: purchase over " + fixed(setup.buy_rent->lifetime_years, 0) +
                                                  " years at " + fixed(setup.buy_rent->utilisation * 100, 0) + " % use"};
      io::PlatformView v = view_of(pp, file, *setup.graph, results, price);
      campaign::Option o = option_of(v, pp, results);
      o.name = c.name;
      o.acquisition = "buy";
      const double power = campaign::electricity_usd(*setup.buy_rent, o.kwh);
      o.cost_usd = o.cost_usd.value_or(0) + power;
      o.total_cost_usd = *o.cost_usd + o.researcher_usd;
      out.options.push_back({o, v});
    }
  }
  return out;
}

}  // namespace trainsim::cli
