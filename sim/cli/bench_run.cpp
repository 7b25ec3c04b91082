// trainsim bench run: the replay's speed against a bare SimGrid activity graph of the same shape
// and size, each in its own child process, and the wall time of the OCR campaign's HRNet-W44 stage
// (48 epochs on 4x RTX 3090).
#include <iostream>
#include <sstream>

#include "sim/cli/args.hpp"
#include "sim/cli/bench.hpp"
#include "sim/cli/scenario_args.hpp"
#include "sim/engine/bare_replay.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/loader_io.hpp"
#include "sim/report/run_report.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

int bench_run(int argc, char** argv) {
  Args args("bench run", "Replays a long scenario (the HRNet-W44 stage of the OCR campaign: 48 epochs on 4x RTX 3090,\n"
                         "17,664 iterations) and, in another child process, a bare SimGrid activity graph of the same\n"
                         "shape and size; prints activities per second of both and their ratio.");
  args.flag("json", "print JSON: activities_per_s, baseline_activities_per_s, ratio, hrnet_stage_wall_s")
      .option("scenario", "FILE", "the scenario to replay", io::data_dir() + "/scenarios/hrnet-w44-4x3090-pcie.yaml")
      .option("iterations", "N", "replay only the first N iterations (a quick check; the benchmark needs >= 2,000)")
      .option("bare", "N", "(internal) build the bare graph of N activities in this process and print its rate");
  if (!args.parse(argc, argv, 3)) return 0;
  const std::string scenario = args.get("scenario");
  if (args.has("bare")) {
    const Scenario s = load_scenario_arg(scenario, io::default_catalog());
    const PreparedRun prepared = prepare_run(s, io::default_catalog(), io::default_loader_costs());
    const BareResult b = run_bare_replay(prepared, args.get_int("bare", 1, 1'000'000'000'000LL));
    std::cout << b.activities << " " << format_double(b.cpu_s) << " " << format_double(b.wall_s) << "\n";
    return 0;
  }
  std::cerr << "bench run: replaying " << scenario << " ...\n";
  std::vector<std::string> replay{self_executable(), "run", scenario, "--json", "--no-baseline"};
  if (args.has("iterations")) {
    replay.emplace_back("--iterations");
    replay.push_back(std::to_string(args.get_int("iterations", 1, 1'000'000'000LL)));
  }
  const ChildResult full = run_child(replay);
  if (!full.ok()) throw RuntimeError("the replay failed: " + full.describe());
  const RunSummary s = io::parse_run_json(full.out);
  std::cerr << "bench run: the bare graph of " << s.activities << " activities ...\n";
  const ChildResult bare = run_child({self_executable(), "bench", "run", "--scenario", scenario, "--bare", std::to_string(s.activities)});
  if (!bare.ok()) throw RuntimeError("the bare graph failed: " + bare.describe());
  long long bare_acts = 0;
  double bare_cpu = 0, bare_wall = 0;
  std::istringstream(bare.out) >> bare_acts >> bare_cpu >> bare_wall;
  // CPU seconds of each child over its simulation: other load on the machine does not inflate them.
  const double rate = s.activities / s.cpu_s;
  const double base = bare_acts / bare_cpu;
  if (args.has("json")) {
    Json j = Json::object();
    j["activities"] = s.activities;
    j["activities_per_s"] = rate;
    j["baseline_activities"] = bare_acts;
    j["baseline_activities_per_s"] = base;
    j["ratio"] = rate / base;
    j["hrnet_stage_wall_s"] = full.wall_s;
    j["replay_wall_s"] = s.wall_s;
    j["simulated_s"] = s.run_s;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "replay      " << s.activities << " activities in " << fixed(s.cpu_s, 2) << " CPU s: " << fixed(rate / 1e3, 1)
            << " k activities/s\n"
            << "bare graph  " << bare_acts << " activities in " << fixed(bare_cpu, 2) << " CPU s: " << fixed(base / 1e3, 1)
            << " k activities/s\n"
            << "ratio       " << fixed(rate / base, 3) << "  (goal >= 0.8)\n"
            << "HRNet-W44 stage (" << s.iterations << " iterations, " << fixed(s.run_s / 3600, 2)
            << " simulated hours): " << fixed(full.wall_s, 1) << " s of wall time for the whole command\n";
  return 0;
}

}  // namespace trainsim::cli
