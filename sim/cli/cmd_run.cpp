// trainsim run: replay one scenario; scaling efficiency against one GPU of the node, simulated in
// a child process (one SimGrid simulation per process).
#include <algorithm>
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/child_run.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/scenario_args.hpp"
#include "sim/cli/signal_cleanup.hpp"
#include "sim/cli/trace_options.hpp"
#include "sim/engine/run.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/report/run_report.hpp"
#include "sim/report/trace_output.hpp"
#include "sim/util/progress.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

constexpr long long kBaselineIterations = 100;

}  // namespace

int cmd_run(int argc, char** argv) {
  Args args("run", "Replay every iteration of a data-parallel training run on a SimGrid model of the node:\n"
                   "throughput, iteration time and its split, epoch and run time, scaling efficiency.");
  args.positional("SCENARIO", "a scenario file (docs/scenarios.md), or - for standard input")
      .flag("json", "print JSON (images_per_s, iteration_s, split_s, epoch_s, run_s, scaling_efficiency, ...)")
      .option("seed", "N", "override the scenario's seed")
      .option("iterations", "N", "replay only the first N iterations")
      .option("replay", "MODE", "full (every iteration) or sampled (each distinct epoch until the mean iteration time is\n"
                                "known to --replay-ci, the rest extrapolated, with 95 % confidence intervals)", "full")
      .option("replay-ci", "REL", "sampled: target half-width of the 95 % CI of the mean iteration time, relative", "0.005")
      .flag("no-baseline", "skip the 1-GPU baseline (no scaling efficiency)");
  add_trace_options(args);
  if (!args.parse(argc, argv, 2)) return 0;
  const io::TraceOptions trace = trace_options(args);
  const Catalog& catalog = io::default_catalog();
  Scenario s = load_scenario_arg(args.get("SCENARIO"), catalog);
  if (args.has("seed")) s.seed = args.get_int("seed", 0, 9'000'000'000'000'000'000LL);
  RunOptions options;
  if (args.has("iterations")) options.iterations = args.get_int("iterations", 1, 1'000'000'000LL);
  options.replay = parse_replay_mode(args.get("replay"));
  options.sampling.rel_half_width = args.get_double("replay-ci", 1e-6, 0.5);
  const bool json = args.has("json");
  const PreparedRun prepared = prepare_run(s, catalog, io::default_loader_costs(), options);

  std::optional<io::Baseline> baseline;
  if (!args.has("no-baseline") && prepared.plan.gpus > 1) {
    Scenario one = one_gpu(s);
    one.workload.batch_per_gpu = prepared.plan.batch;  // like for like, also when the batch was auto
    const ChildRun b = run_scenario_child(one, std::min(prepared.plan.total_iterations, kBaselineIterations));
    if (!b.ok) throw RuntimeError("the 1-GPU baseline failed: " + b.error);
    baseline = io::Baseline{b.summary.images_per_s};
  }
  // Opened before the replay (it checks the output paths), committed after: no half-written file.
  const RemoveOnSignal guard(trace.output.empty() ? "" : io::TraceFile::temp_path_for(trace.output));  // Ctrl-C
  io::TraceOutput out(trace, io::scenario_to_yaml(s), s.seed);
  const std::string group = io::run_group("", "main");
  std::unique_ptr<Recorder> recorder = out.recorder(group);
  options.recorder = recorder.get();
  Progress progress("replay", Progress::wanted(json));
  options.progress = [&](long long done, long long total, Seconds) { progress.update(done, total, "iterations"); };
  const RunResult result = simulate(prepared, options);
  progress.finish();
  recorder.reset();
  out.write_run(group, result);
  out.commit();
  if (json) {
    std::cout << io::run_json(result.summary, baseline).dump() << "\n";
  } else {
    std::cout << io::run_text(result.summary, baseline);
  }
  return 0;
}

}  // namespace trainsim::cli
