// trainsim bench collective: how fast the collective engine replays transfers, against a bare
// SimGrid activity graph of the same flows built the same incremental way, run in a child process
// of this binary (one simulation per process). Rates are per CPU second of the simulating process,
// so that other load on the machine does not skew the ratio; wall times are shown beside them.
#include <cmath>
#include <iostream>
#include <sstream>

#include "sim/cli/args.hpp"
#include "sim/cli/bench.hpp"
#include "sim/engine/coll_bench.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

constexpr double kTargetRatio = 0.8;

// Runs one side in a child process: "--side trainsim|bare"; it prints "flows wall_s cpu_s".
FlowBench run_side(const std::string& side, const std::string& node, const std::string& bytes, int collectives) {
  const ChildResult r = run_child({self_executable(), "bench", "collective", "--side", side, "--node", node, "--bytes",
                                   bytes, "--collectives", std::to_string(collectives)});
  if (!r.ok()) throw RuntimeError("bench collective: the " + side + " child failed: " + r.describe());
  FlowBench b;
  std::istringstream in(r.out);
  if (!(in >> b.flows >> b.wall >> b.cpu)) throw RuntimeError("bench collective: the " + side + " child printed '" + r.out + "'");
  return b;
}

void keep_fastest(FlowBench& best, const FlowBench& run, bool first) {
  if (first || run.cpu < best.cpu) best = run;
}

}  // namespace

int bench_collective(int argc, char** argv) {
  Args args("bench collective", "A long sequence of ring all-reduces through trainsim's collective engine, and the same\n"
                                "flows as a bare SimGrid activity graph, each in a child process; activities (transfers)\n"
                                "per CPU second of both and their ratio (target >= 0.8).");
  args.option("node", "NODE", "the node (a preset or a node file)", "8x-h100-sxm-nvswitch")
      .option("bytes", "N", "size of each all-reduce", "64M")
      .option("flows", "N", "at least this many transfers in all", "1000000")
      .option("repeat", "N", "runs of each side, alternating; the fastest of each counts", "3")
      .flag("json", "print JSON: activities_per_s, baseline_activities_per_s, ratio, flows, ...")
      .option("side", "SIDE", "internal: run one side (trainsim or bare) and print 'flows wall_s cpu_s'")
      .option("collectives", "N", "internal, with --side: all-reduces in the sequence");
  if (!args.parse(argc, argv, 3)) return 0;
  const Catalog& catalog = io::default_catalog();
  const std::string node = args.get("node");
  const Topology topo = Topology::build(io::load_node(node, catalog, {}, "--node"), catalog);
  const Bytes bytes = args.get_bytes("bytes");
  if (topo.gpu_count() < 2) throw UsageError("trainsim bench collective: --node needs at least 2 GPUs");
  if (args.has("side")) {
    const std::string side = args.get("side");
    if (side != "trainsim" && side != "bare") throw UsageError("trainsim bench collective: --side trainsim or bare");
    const int collectives = static_cast<int>(args.get_int("collectives", 1, 100000000));
    const FlowBench b = side == "bare" ? bench_bare_graph(topo, bytes, collectives) : bench_collectives(topo, bytes, collectives);
    std::cout << b.flows << " " << format_double(b.wall) << " " << format_double(b.cpu) << "\n";
    return 0;
  }
  const long long per = ring_allreduce_transfers(topo);
  const long long wanted = args.get_int("flows", 1, 1000000000);
  const int collectives = static_cast<int>((wanted + per - 1) / per);
  const int repeat = static_cast<int>(args.get_int("repeat", 1, 20));

  FlowBench mine, bare;
  for (int i = 0; i < repeat; ++i) {
    keep_fastest(bare, run_side("bare", node, args.get("bytes"), collectives), i == 0);
    keep_fastest(mine, run_side("trainsim", node, args.get("bytes"), collectives), i == 0);
    std::cerr << "bench collective: run " << i + 1 << "/" << repeat << " done\n";
  }
  if (bare.flows != mine.flows) {
    throw RuntimeError("bench collective: " + std::to_string(mine.flows) + " trainsim flows but " +
                       std::to_string(bare.flows) + " baseline flows");
  }
  const double ratio = bare.flows_per_cpu_s() > 0 ? mine.flows_per_cpu_s() / bare.flows_per_cpu_s() : 0.0;
  if (args.has("json")) {
    Json j = Json::object();
    j["node"] = topo.name();
    j["bytes"] = bytes;
    j["collectives"] = collectives;
    j["flows"] = mine.flows;
    j["cpu_s"] = mine.cpu;
    j["wall_s"] = mine.wall;
    j["baseline_cpu_s"] = bare.cpu;
    j["baseline_wall_s"] = bare.wall;
    j["activities_per_s"] = mine.flows_per_cpu_s();
    j["baseline_activities_per_s"] = bare.flows_per_cpu_s();
    j["ratio"] = ratio;
    j["target_ratio"] = kTargetRatio;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "bench collective: " << collectives << " ring all-reduces of " << format_double(bytes) << " B on "
            << topo.name() << ", one after another: " << mine.flows << " transfers (activities)\n"
            << "  trainsim collective engine  " << fixed(mine.cpu, 3) << " CPU s (" << fixed(mine.wall, 3) << " wall)  "
            << fixed(mine.flows_per_cpu_s(), 0) << " activities/s\n"
            << "  bare SimGrid graph          " << fixed(bare.cpu, 3) << " CPU s (" << fixed(bare.wall, 3) << " wall)  "
            << fixed(bare.flows_per_cpu_s(), 0) << " activities/s\n"
            << "  ratio " << fixed(ratio, 3) << " (target >= " << fixed(kTargetRatio, 1) << "; fastest of " << repeat
            << " alternating runs each)\n";
  return 0;
}

}  // namespace trainsim::cli
