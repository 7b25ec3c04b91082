// trainsim scale: one scenario on 1, 2, 4, ... nodes of a cluster (the cluster's node and network,
// its node count replaced), each point a `trainsim run --no-baseline` in a child process: images/s,
// scaling efficiency against the first point, the iteration's exposed all-reduce, wall time.
#include <chrono>
#include <iostream>
#include <set>

#include "sim/cli/args.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/report/run_report.hpp"
#include "sim/util/subprocess.hpp"
#include "sim/cli/commands.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/scale_io.hpp"
#include "sim/report/table.hpp"
#include "sim/topo/cluster.hpp"
#include "sim/util/error.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

std::vector<int> parse_nodes(const std::string& text) {
  std::vector<int> out;
  std::set<int> seen;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 1 || value > kMaxClusterNodes || !seen.insert(value).second) {
      throw UsageError("trainsim scale: --nodes '" + text + "': '" + item + "': expected distinct node counts from 1 to " +
                       std::to_string(kMaxClusterNodes) + ", comma-separated (e.g. 1,2,4,8)");
    }
    out.push_back(value);
    at = comma + 1;
  }
  return out;
}

struct Point {
  int nodes = 0;
  RunSummary s;
  double wall_s = 0;  // the child process: platform, replay, output
  double efficiency = 0;
};

}  // namespace

int cmd_scale(int argc, char** argv) {
  Args args("scale", "Run one scenario on N nodes of a cluster for each N of --nodes (the cluster's node and network kept,\n"
                     "its node count replaced): images/s, scaling efficiency per GPU against the first point, the mean\n"
                     "iteration's exposed all-reduce, and the wall time of each point. Each point is `trainsim run\n"
                     "--no-baseline` in a child process, one after another.");
  args.positional("SCENARIO", "a scenario file (docs/scenarios.md); its platform is replaced")
      .option("cluster", "CLUSTER", "a cluster preset (platforms/clusters) or a cluster file", "16x-dgx-h100")
      .option("nodes", "LIST", "node counts, comma-separated", "1,2,4,8,16,32,64")
      .option("replay", "MODE", "full or sampled (trainsim run --replay)", "sampled")
      .option("timeout", "S", "seconds allowed per point, then it is stopped and the command fails (0: none)", "0")
      .flag("json", "print JSON: scenario, cluster, replay and rows of nodes, gpus, algorithm, images_per_s, "
                    "scaling_efficiency, iteration_mean_s, iteration_p50_s, compute_s, exposed_comm_s, data_stall_s, "
                    "activities, iterations_replayed, wall_s")
      .epilog("Scaling efficiency: images/s per GPU over the first point's (1 node: the node's own all-reduce, NVLS or\n"
              "ring; from 2 nodes the hierarchical all-reduce across them, docs/collectives.md).\n"
              "examples:\n  trainsim scale scenarios/resnet50-8x-a100.yaml --cluster 16x-dgx-h100\n"
              "  trainsim scale scenarios/hrnet-w44-4x-h100-nvswitch.yaml --nodes 1,2,4 --json");
  if (!args.parse(argc, argv, 2)) return 0;
  const std::vector<int> nodes = parse_nodes(args.get("nodes"));
  const std::string replay = args.get("replay");
  if (replay != "full" && replay != "sampled") {
    throw UsageError("trainsim scale: --replay '" + replay + "': expected full or sampled");
  }
  const double timeout = args.get_double("timeout", 0, 1e9);
  const Catalog& catalog = io::default_catalog();
  const std::string scenario = args.get("SCENARIO");
  // Every point is built (and so checked) before the first runs.
  std::vector<Scenario> scenarios;
  for (const int n : nodes) scenarios.push_back(io::scenario_on_cluster(scenario, args.get("cluster"), n, catalog));

  std::vector<Point> points;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const ChildResult r = run_child({self_executable(), "run", "-", "--json", "--no-baseline", "--replay", replay},
                                    io::scenario_to_yaml(scenarios[i]), timeout);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r.timed_out) {
      throw RuntimeError("trainsim scale: " + std::to_string(nodes[i]) + " nodes: stopped after --timeout " + fixed(timeout, 1) + " s");
    }
    if (!r.ok()) throw RuntimeError("trainsim scale: " + std::to_string(nodes[i]) + " nodes: " + r.describe());
    Point p{nodes[i], io::parse_run_json(r.out), wall, 0};
    const Point& first = points.empty() ? p : points.front();
    const double per_gpu_first = first.s.images_per_s / first.s.gpus;
    p.efficiency = per_gpu_first > 0 ? p.s.images_per_s / p.s.gpus / per_gpu_first : 0;
    std::cerr << "trainsim scale: " << nodes[i] << " nodes, " << p.s.gpus << " GPUs: " << fixed(p.s.images_per_s, 0)
              << " images/s (" << fixed(wall, 1) << " s)\n";
    points.push_back(p);
  }

  if (args.has("json")) {
    Json j = Json::object();
    j["scenario"] = scenario;
    j["cluster"] = args.get("cluster");
    j["replay"] = replay;
    Json list = Json::array();
    for (const auto& p : points) {
      Json row = Json::object();
      row["nodes"] = p.nodes;
      row["gpus"] = p.s.gpus;
      row["algorithm"] = p.s.algorithm;
      row["images_per_s"] = p.s.images_per_s;
      row["scaling_efficiency"] = p.efficiency;
      row["iteration_mean_s"] = p.s.iteration_mean;
      row["iteration_p50_s"] = p.s.iteration_p50;
      row["compute_s"] = p.s.compute;
      row["exposed_comm_s"] = p.s.exposed_comm;
      row["data_stall_s"] = p.s.data_stall;
      row["iterations_per_epoch"] = p.s.iterations_per_epoch;
      row["iterations_replayed"] = p.s.iterations_replayed;
      row["activities"] = p.s.activities;
      row["wall_s"] = p.wall_s;
      list.push_back(row);
    }
    j["rows"] = list;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "# trainsim scale " << scenario << " on " << args.get("cluster") << " (nodes replaced), --replay " << replay
            << "\n";
  io::Table t({"nodes", "GPUs", "all-reduce", "images/s", "efficiency", "iteration p50 (ms)", "exposed comm (ms)",
               "data stall (ms)", "iterations/epoch", "activities", "wall (s)"},
              {io::Table::Align::right, io::Table::Align::right, io::Table::Align::left, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::right, io::Table::Align::right, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::right, io::Table::Align::right});
  for (const auto& p : points) {
    t.add({std::to_string(p.nodes), std::to_string(p.s.gpus), p.s.algorithm, fixed(p.s.images_per_s, 0), fixed(p.efficiency, 3),
           fixed(1e3 * p.s.iteration_p50, 2), fixed(1e3 * p.s.exposed_comm, 2), fixed(1e3 * p.s.data_stall, 2),
           std::to_string(p.s.iterations_per_epoch), std::to_string(p.s.activities), fixed(p.wall_s, 1)});
  }
  std::cout << t.render();
  std::cout << "# efficiency: images/s per GPU over the first point's; exposed comm, data stall: mean per iteration\n";
  return 0;
}

}  // namespace trainsim::cli
