// trainsim run: replay one scenario; scaling efficiency against one GPU of the node, simulated in
// a child process (one SimGrid simulation per process).
#include <algorithm>
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/scenario_args.hpp"
#include "sim/engine/run.hpp"
#include "sim/io/catalog_io.hpp"
#include "sim/io/loader_io.hpp"
#include "sim/io/run_report.hpp"
#include "sim/io/scenario_io.hpp"
#include "sim/util/progress.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

// The same scenario on GPU 0 of the node alone: other GPUs and the links that reach them removed.
Scenario one_gpu(const Scenario& s) {
  Scenario b = s;
  std::vector<std::string> dropped;
  bool kept = false;
  std::vector<VertexSpec> vertices;
  for (const auto& v : s.platform.vertices) {
    if (v.kind == VertexKind::gpu) {
      if (kept) {
        dropped.push_back(v.name);
        continue;
      }
      kept = true;
    }
    vertices.push_back(v);
  }
  b.platform.vertices = vertices;
  std::vector<LinkSpec> links;
  for (const auto& l : s.platform.links) {
    const bool gone = std::find(dropped.begin(), dropped.end(), l.a) != dropped.end() ||
                      std::find(dropped.begin(), dropped.end(), l.b) != dropped.end();
    if (!gone) links.push_back(l);
  }
  b.platform.links = links;
  return b;
}

constexpr long long kBaselineIterations = 100;

}  // namespace

std::optional<io::Baseline> run_baseline(const Scenario& s, long long iterations) {
  const Scenario b = one_gpu(s);
  const ChildResult r =
      run_child({self_executable(), "run", "-", "--json", "--no-baseline", "--iterations", std::to_string(iterations)},
                io::scenario_to_yaml(b));
  if (!r.ok()) throw RuntimeError("the 1-GPU baseline failed: " + r.describe());
  return io::Baseline{io::parse_run_json(r.out).images_per_s};
}

int cmd_run(int argc, char** argv) {
  Args args("run", "Replay every iteration of a data-parallel training run on a SimGrid model of the node:\n"
                   "throughput, iteration time and its split, epoch and run time, scaling efficiency.");
  args.positional("SCENARIO", "a scenario file (docs/scenarios.md), or - for standard input")
      .flag("json", "print JSON (images_per_s, iteration_s, split_s, epoch_s, run_s, scaling_efficiency, ...)")
      .option("seed", "N", "override the scenario's seed")
      .option("iterations", "N", "replay only the first N iterations")
      .flag("no-baseline", "skip the 1-GPU baseline (no scaling efficiency)");
  if (!args.parse(argc, argv, 2)) return 0;
  const Catalog& catalog = io::default_catalog();
  Scenario s = load_scenario_arg(args.get("SCENARIO"), catalog);
  if (args.has("seed")) s.seed = args.get_int("seed", 0, 9'000'000'000'000'000'000LL);
  RunOptions options;
  if (args.has("iterations")) options.iterations = args.get_int("iterations", 1, 1'000'000'000LL);
  const bool json = args.has("json");
  const PreparedRun prepared = prepare_run(s, catalog, io::default_loader_costs(), options);

  std::optional<io::Baseline> baseline;
  if (!args.has("no-baseline") && prepared.plan.gpus > 1) {
    baseline = run_baseline(s, std::min(prepared.plan.total_iterations, kBaselineIterations));
  }
  Progress progress("replay", Progress::wanted(json));
  options.progress = [&](long long done, long long total, Seconds) { progress.update(done, total, "iterations"); };
  const RunResult result = simulate(prepared, options);
  progress.finish();
  if (json) {
    std::cout << io::run_json(result.summary, baseline).dump() << "\n";
  } else {
    std::cout << io::run_text(result.summary, baseline);
  }
  return 0;
}

}  // namespace trainsim::cli
