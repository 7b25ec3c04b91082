// trainsim campaign / trainsim compare: a campaign of staged runs (docs/campaigns.md) on one or
// more platforms, as a project timeline with cost, energy and CO2. Every distinct run is
// simulated in its own child process; compare adds the platforms side by side and, with
// --against-report, a report's own estimates beside trainsim's.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <thread>

#include "sim/campaign/report_check.hpp"
#include "sim/campaign/stage_graph.hpp"
#include "sim/cli/args.hpp"
#include "sim/cli/campaign_runner.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/signal_cleanup.hpp"
#include "sim/input/campaign_plan.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/input/report_io.hpp"
#include "sim/model/power.hpp"
#include "sim/report/campaign_report.hpp"
#include "sim/report/report_text.hpp"
#include "sim/report/trace_output.hpp"
#include "sim/util/progress.hpp"

namespace trainsim::cli {

namespace {

const SourceLocation kCommandLine{"command line"};

// Part files of the children: merged, then removed; removed as well when the command fails.
class PartFiles {
 public:
  ~PartFiles() {
    for (const auto& p : paths_) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  }
  void add(const std::string& p) {
    paths_.push_back(p);
    guards_.push_back(std::make_unique<RemoveOnSignal>(p));  // Ctrl-C: no part file is left either
  }

 private:
  std::vector<std::string> paths_;
  std::vector<std::unique_ptr<RemoveOnSignal>> guards_;
};

io::PlatformView view_of(const io::PlatformPlan& p, const io::CampaignFile& file, const campaign::StageGraph& graph,
                         const std::vector<ChildOutcome>& results) {
  io::PlatformView v;
  v.name = p.name;
  v.gpu = p.gpu->name;
  v.gpu_display = p.gpu->display_name;
  v.gpus = p.gpus;
  v.price = campaign::resolve_price(file.prices, p.ref, *p.gpu);
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

void write_hdf5(io::TraceOutput& out, const io::CampaignView& view, const io::CampaignPlan& plan,
                const std::vector<ChildJob>& jobs, bool per_platform) {
  for (std::size_t k = 0; k < plan.simulations.size(); ++k) {
    const io::Simulation& sim = plan.simulations[k];
    const std::string platform = per_platform ? plan.platforms[static_cast<std::size_t>(sim.platform)].name : "";
    out.merge_run(jobs[k].part, "/runs/main", io::run_group(platform, sim.run));
    std::error_code ec;
    std::filesystem::remove(jobs[k].part, ec);
  }
  for (std::size_t i = 0; i < view.platforms.size(); ++i) {
    const io::PlatformView& v = view.platforms[i];
    const io::PlatformPlan& p = plan.platforms[i];
    const auto nan_if_none = [](const std::optional<double>& x) { return x.value_or(std::nan("")); };
    std::vector<io::StageRow> stages;
    for (const auto& st : v.timeline.stages) {
      stages.push_back({st.name, st.start / 3600, st.end / 3600, (st.end - st.start) / 3600, st.gpu_hours,
                        nan_if_none(st.cost_usd), st.energy_kwh, st.co2_kg});
    }
    std::vector<io::RunRow> runs;
    std::size_t k = 0;
    for (std::size_t s = 0; s < p.stages.size(); ++s) {
      for (const io::PlannedRun& run : p.stages[s]) {
        const campaign::RunTotals& t = v.timeline.runs[k++];
        const io::Simulation& sim = plan.simulations[static_cast<std::size_t>(run.simulation)];
        runs.push_back({v.stages[s].name, run.name, v.name, t.placed.start / 3600, t.placed.end / 3600,
                        static_cast<int>(t.placed.gpu_ids.size()), t.gpu_hours, nan_if_none(t.cost_usd), t.energy_kwh,
                        t.co2_kg, sim.run != run.name});
      }
    }
    out.write_campaign(io::campaign_group(per_platform ? v.name : ""), stages, runs);
  }
}

int campaign_command(int argc, char** argv, bool compare) {
  Args args(compare ? "compare" : "campaign",
            compare ? "A campaign (docs/campaigns.md) on several platforms, side by side: stage hours, total wall hours,\n"
                      "GPU hours, cost, researcher cost, kWh, CO2, speed-up against the first platform."
                    : "A campaign of staged runs (docs/campaigns.md) as a project timeline: runs scheduled on the node's\n"
                      "GPUs, makespan, critical path, GPU hours, cost, energy, CO2, researcher waiting cost.");
  args.positional("CAMPAIGN", "a campaign file (docs/campaigns.md), or - to read it from stdin")
      .multi("platform", "NODE", "a node preset or node file; repeat for several (default: the file's platforms:)")
      .flag("json", "print JSON: a list with one object per platform")
      .option("jobs", "N", "simulations at once, each in its own process (default: the number of cores)", std::nullopt, "-j")
      .option("output", "FILE.h5", "write the timelines and every simulated run to an HDF5 file (docs/hdf5-schema.md)",
              std::nullopt, "-o")
      .option("trace", "LEVEL", "what the HDF5 file holds per run: none (summary, epochs), iterations, events", "iterations");
  if (compare) {
    args.flag("against-report", "set the report's own estimates beside trainsim's (docs/report-check.md)")
        .option("report", "FILE", "the report's figures (default: the campaign file's report:)");
  }
  if (!args.parse(argc, argv, 2)) return 0;
  const bool json = args.has("json");
  io::TraceOptions trace;
  trace.output = args.get("output");
  trace.level = io::parse_trace_level(args.get("trace"), "--trace");
  if (args.has("trace") && trace.output.empty()) throw UsageError("trainsim " + args.command() + ": --trace needs -o FILE.h5");
  const int jobs = args.has("jobs") ? static_cast<int>(args.get_int("jobs", 1, 256))
                                    : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  const Catalog& catalog = io::default_catalog();
  const io::CampaignFile file =
      args.get("CAMPAIGN") == "-"
          ? io::parse_campaign_text(std::string{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()},
                                    "<stdin>", catalog)
          : io::load_campaign(args.get("CAMPAIGN"), catalog);
  const campaign::StageGraph graph(file.stages);
  std::optional<campaign::Calibration> calibration;
  if (file.calibration) calibration = campaign::calibrate(*file.calibration, catalog);
  const bool against = compare && args.has("against-report");
  std::optional<campaign::ReportData> report;
  if (against) {
    const std::string path = args.has("report") ? args.get("report") : file.report;
    if (path.empty()) throw UsageError("trainsim compare: --against-report needs report: in the campaign file or --report FILE");
    report = io::load_report(path, catalog);
  }
  std::vector<io::CampaignPlatform> platforms;
  for (const auto& p : args.all("platform")) platforms.push_back({p, kCommandLine});
  if (platforms.empty() && report) {
    for (const auto& p : report->platforms) platforms.push_back({p.node, {report->file}});
  }
  if (platforms.empty()) platforms = file.platforms;
  if (platforms.empty()) {
    throw UsageError("trainsim " + args.command() + ": name a platform with --platform NODE, or list them under platforms:");
  }

  // Checked before anything runs: the output path, every platform, every run's scenario.
  const RemoveOnSignal guard(trace.output.empty() ? "" : io::TraceFile::temp_path_for(trace.output));  // Ctrl-C
  io::TraceOutput out(trace, file.text, 0);
  std::optional<io::CalibrationUse> use;
  if (calibration) use = io::CalibrationUse{calibration->point.model, calibration->factor};
  const io::CampaignPlan plan = io::plan_campaign(file, platforms, catalog, io::default_loader_costs(), use);
  const bool per_platform = compare || plan.platforms.size() > 1;

  std::vector<ChildJob> child_jobs;
  PartFiles parts;
  for (const auto& sim : plan.simulations) {
    ChildJob j{&sim.scenario, sim.weight, "", trace.level};
    if (out.file() != nullptr) {
      j.part = trace.output + ".part." + plan.platforms[static_cast<std::size_t>(sim.platform)].name + "." + sim.run;
      parts.add(j.part);
    }
    child_jobs.push_back(j);
  }
  Progress progress(args.command(), Progress::wanted(json));
  const auto results = run_children(child_jobs, jobs, [&](std::size_t done, std::size_t total) {
    progress.update(static_cast<long long>(done), static_cast<long long>(total), "simulations");
  });
  progress.finish();
  for (std::size_t k = 0; k < results.size(); ++k) {
    if (!results[k].ok) {
      const io::Simulation& sim = plan.simulations[k];
      throw RuntimeError("the simulation of " + plan.platforms[static_cast<std::size_t>(sim.platform)].name + "/" + sim.run +
                         " failed: " + results[k].error);
    }
  }

  io::CampaignView view;
  view.name = file.name;
  view.file = file.file;
  view.economics = file.economics;
  view.calibration = calibration;
  for (const auto& p : plan.platforms) view.platforms.push_back(view_of(p, file, graph, results));
  if (out.file() != nullptr) write_hdf5(out, view, plan, child_jobs, per_platform);
  out.commit();

  if (json) {
    Json list = io::campaign_json(view);
    if (report) io::add_report_json(list, *report, view);
    std::cout << list.dump() << "\n";
    return 0;
  }
  std::cout << io::campaign_text(view);
  if (view.platforms.size() > 1 || compare) std::cout << "\n" << io::side_by_side_text(view);
  if (report) std::cout << "\n" << io::against_report_text(*report, campaign::check_report(*report, catalog), view);
  return 0;
}

}  // namespace

int cmd_campaign(int argc, char** argv) { return campaign_command(argc, argv, false); }
int cmd_compare(int argc, char** argv) { return campaign_command(argc, argv, true); }

}  // namespace trainsim::cli
