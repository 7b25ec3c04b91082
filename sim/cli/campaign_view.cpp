#include "sim/cli/campaign_view.hpp"

#include <algorithm>

#include "sim/model/power.hpp"

namespace trainsim::cli {

io::PlatformView view_of(const io::PlatformPlan& p, const io::CampaignFile& file, const campaign::StageGraph& graph,
                         const std::vector<ChildOutcome>& results, const std::optional<campaign::Price>& price) {
  io::PlatformView v;
  v.name = p.name;
  v.gpu = p.gpu->name;
  v.gpu_display = p.gpu->display_name;
  v.gpus = p.gpus;
  v.price = price;
  v.gpu_idle_w = p.gpu->idle_w;
  v.gpu_tdp_w = p.gpu->tdp_w;
  for (const auto& vx : p.node.vertices) {
    if (vx.kind == VertexKind::host) {
      v.cores += vx.cores;
      ++v.sockets;
    }
  }
  v.host_w = host_power_w(v.cores, v.sockets, file.economics.host_w_per_core, file.economics.host_w_per_socket);
  v.notes = p.notes;
  v.runs = p.runs;
  v.simulated = p.simulated;
  std::vector<campaign::RunOutcome> outcomes;
  for (std::size_t s = 0; s < p.stages.size(); ++s) {
    io::StageView sv;
    sv.name = file.stages[s].name;
    sv.placement = std::string(campaign::to_string(file.stages[s].placement));
    std::vector<int> distinct;
    for (std::size_t r = 0; r < p.stages[s].size(); ++r) {
      const io::PlannedRun& run = p.stages[s][r];
      if (std::find(distinct.begin(), distinct.end(), run.simulation) == distinct.end()) distinct.push_back(run.simulation);
      const RunSummary& sum = results.at(static_cast<std::size_t>(run.simulation)).summary;
      outcomes.push_back({static_cast<int>(s), static_cast<int>(r), sum.run_s, sum.gpu_busy_s});
      const auto n = static_cast<double>(sum.iterations);
      io::TimeSplit part{sum.compute * n, sum.exposed_comm * n, sum.data_stall * n, sum.evaluation_s, 0};
      part.other = std::max(0.0, sum.run_s - part.total());
      v.split.compute += part.compute;
      v.split.exposed_comm += part.exposed_comm;
      v.split.data_stall += part.data_stall;
      v.split.evaluation += part.evaluation;
      v.split.other += part.other;
      if (r == 0) {
        sv.gpus_per_run = sum.gpus;
        sv.batch_per_gpu = sum.batch_per_gpu;
        sv.images_per_s = sum.images_per_s;
        sv.iterations = sum.iterations;
      } else if (run.simulation != p.stages[s][0].simulation) {
        sv.runs_differ = true;
      }
      sv.iterations_all_runs += sum.iterations;
      ++sv.runs;
    }
    sv.simulated = static_cast<int>(distinct.size());
    v.stages.push_back(sv);
  }
  campaign::NodeEconomics node{p.gpus, v.gpu_idle_w, v.gpu_tdp_w, v.host_w, v.price};
  v.timeline = campaign::build_timeline(file.stages, graph, outcomes, node, file.economics);
  return v;
}

campaign::Option option_of(const io::PlatformView& v, const io::PlatformPlan& p, const std::vector<ChildOutcome>& results) {
  campaign::Option o;
  o.name = v.name;
  o.gpu = v.gpu;
  o.gpu_display = v.gpu_display;
  o.gpus = v.gpus;
  if (v.price) {
    o.usd_per_gpu_hour = v.price->usd_per_gpu_hour;
    o.price_source = v.price->source;
  }
  const campaign::Timeline& t = v.timeline;
  o.wall_hours = t.makespan / 3600;
  o.gpu_hours = t.gpu_hours;
  o.cost_usd = t.cost_usd;
  o.researcher_usd = t.researcher_cost_usd;
  if (t.cost_usd) o.total_cost_usd = *t.cost_usd + t.researcher_cost_usd;
  o.kwh = t.energy_kwh;
  o.co2_kg = t.co2_kg;
  for (const auto& st : t.stages) o.stages.push_back({st.name, (st.end - st.start) / 3600, st.cost_usd});
  std::size_t k = 0;
  for (const auto& stage : p.stages) {
    for (const io::PlannedRun& run : stage) {
      const campaign::RunTotals& rt = t.runs.at(k++);
      const RunSummary& sum = results.at(static_cast<std::size_t>(run.simulation)).summary;
      const double parts = sum.compute + sum.exposed_comm + sum.data_stall;
      if (parts > 0) {
        o.split.compute_gpu_h += rt.gpu_hours * sum.compute / parts;
        o.split.exposed_comm_gpu_h += rt.gpu_hours * sum.exposed_comm / parts;
        o.split.data_stall_gpu_h += rt.gpu_hours * sum.data_stall / parts;
      }
      if (run.fitted.fallback) o.split.memory_limited_gpu_h += rt.gpu_hours;
      o.split.gpu_h += rt.gpu_hours;
    }
  }
  o.bottleneck = campaign::bottleneck_of(o.split);
  return o;
}

}  // namespace trainsim::cli
