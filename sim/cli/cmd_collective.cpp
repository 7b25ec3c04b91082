// trainsim collective: the nccl-tests table (size, count, type, time, algbw, busbw) of one
// collective on a node, every size simulated one after another in one SimGrid simulation.
#include <chrono>
#include <cmath>
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/engine/coll_planner.hpp"
#include "sim/engine/collective_run.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/node_io.hpp"
#include "sim/report/table.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::cli {

namespace {

constexpr double kFloatBytes = 4;  // nccl-tests' default type
constexpr std::size_t kMaxSizes = 1000;

std::vector<Bytes> sizes_between(const Args& args) {
  const Bytes lo = std::floor(args.get_bytes("min-bytes"));
  const Bytes hi = std::floor(args.get_bytes("max-bytes"));
  const double factor = args.get_double("factor", 1.0, 1e6);
  if (lo < 1) throw UsageError("trainsim collective: --min-bytes must be at least 1 byte");
  if (lo > hi) {
    throw UsageError("trainsim collective: --min-bytes (" + format_double(lo) + ") is larger than --max-bytes (" +
                     format_double(hi) + ")");
  }
  if (factor <= 1 && lo < hi) throw UsageError("trainsim collective: --factor must be larger than 1");
  std::vector<Bytes> sizes;
  for (Bytes s = lo; s <= hi; s = std::floor(s * factor)) {
    sizes.push_back(s);
    if (lo == hi || std::floor(s * factor) <= s) break;
    if (sizes.size() > kMaxSizes) {
      throw UsageError("trainsim collective: more than " + std::to_string(kMaxSizes) + " sizes; raise --factor");
    }
  }
  return sizes;
}

struct Shown {
  double algbw_gbps = 0;
  double busbw_gbps = 0;
};

Shown bandwidths(const CollectiveRow& r, CollOp op, int n) {
  Shown s;
  if (r.time > 0) {
    s.algbw_gbps = r.bytes / r.time / kGB;  // nccl-tests: GB/s = 1e9 bytes per second
    s.busbw_gbps = s.algbw_gbps * busbw_factor(op, n);
  }
  return s;
}

}  // namespace

int cmd_collective(int argc, char** argv) {
  Args args("collective", "Simulate one collective on a node for a range of sizes and print the nccl-tests table:\n"
                          "size, count and type (float), time, algbw = size / time and busbw = algbw x 2(n-1)/n\n"
                          "(all_reduce), (n-1)/n (all_gather, reduce_scatter) or 1 (broadcast), with the algorithm.");
  args.positional("NODE", "a preset name (platforms/nodes) or a node file")
      .option("op", "OP", "all_reduce, all_gather, reduce_scatter or broadcast", "all_reduce")
      .option("min-bytes", "N", "smallest size (K, M, G suffixes are powers of 1024)", "8", "-b")
      .option("max-bytes", "N", "largest size", "8G", "-e")
      .option("factor", "F", "size multiplier from one row to the next", "2", "-f")
      .option("algo", "ALGO", "ring, tree, direct, nvls, hierarchical (clusters) or auto (what the formulas predict fastest per size)", "auto")
      .flag("json", "print JSON: node, op and rows of bytes, time_us, algbw_gbps, busbw_gbps, algorithm")
      .epilog("A node built from `nvidia-smi topo -m` text works as any node file:\n"
              "  trainsim topo --from-nvidia-smi topo.txt --gpu rtx3090 -o node.yaml\n"
              "  trainsim collective node.yaml\n"
              "examples:\n  trainsim collective 4x-rtx3090-pcie\n"
              "  trainsim collective 8x-h100-sxm-nvswitch --algo ring -b 1M -e 1G");
  if (!args.parse(argc, argv, 2)) return 0;
  const auto op = parse_coll_op(args.get("op"));
  if (!op) throw UsageError("trainsim collective: --op '" + args.get("op") + "': expected " + one_of(args.get("op"), coll_op_names()));
  const auto algo = parse_algorithm(args.get("algo"));
  if (!algo) {
    throw UsageError("trainsim collective: --algo '" + args.get("algo") + "': expected " +
                     one_of(args.get("algo"), algorithm_names()));
  }
  const std::vector<Bytes> sizes = sizes_between(args);
  const Catalog& catalog = io::default_catalog();
  const Topology topo = Topology::build(io::load_node(args.get("NODE"), catalog, {}, "NODE"), catalog);
  const int n = topo.gpu_count();
  const CollectivePlanner planner(topo);
  std::string why;
  if (!planner.available(*op, *algo, all_gpus(topo), &why)) {
    throw UsageError("trainsim collective: --algo " + args.get("algo") + " on " + topo.name() + ": " + why);
  }

  CollectiveSweep sweep;
  sweep.op = *op;
  sweep.algorithm = *algo;
  sweep.sizes = sizes;
  const auto wall_start = std::chrono::steady_clock::now();
  std::size_t done = 0;
  const auto progress = [&](const CollectiveRow& r) {
    ++done;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (wall > 2.0 && done < sizes.size()) {
      std::cerr << "trainsim collective: " << format_double(r.bytes) << " B done (" << done << "/" << sizes.size() << ", "
                << fixed(wall, 1) << " s)\n";
    }
  };
  const std::vector<CollectiveRow> rows = run_collective_sweep(topo, sweep, progress);

  if (args.has("json")) {
    Json j = Json::object();
    j["node"] = topo.name();
    j["gpu"] = topo.gpu_spec(0).name;
    j["gpus"] = n;
    j["op"] = std::string(to_string(*op));
    j["algo"] = std::string(to_string(*algo));
    Json list = Json::array();
    for (const auto& r : rows) {
      const Shown s = bandwidths(r, *op, n);
      Json row = Json::object();
      row["bytes"] = r.bytes;
      row["count"] = std::floor(r.bytes / kFloatBytes);
      row["type"] = "float";
      row["time_us"] = r.time / kMicro;
      row["algbw_gbps"] = s.algbw_gbps;
      row["busbw_gbps"] = s.busbw_gbps;
      row["algorithm"] = std::string(to_string(r.algorithm));
      row["predicted_us"] = r.predicted / kMicro;
      row["transfers"] = r.transfers;
      list.push_back(row);
    }
    j["rows"] = list;
    std::cout << j.dump() << "\n";
    return 0;
  }

  const Ring& ring = planner.ring(all_gpus(topo));
  std::vector<std::string> order;
  for (const int g : ring.order) order.push_back(std::to_string(g));
  std::cout << "# trainsim collective " << to_string(*op) << " on " << topo.name() << ": " << n << " x "
            << topo.gpu_spec(0).name << (topo.p2p() ? "" : ", no peer-to-peer (staged through host memory)") << "\n";
  if (n < 2) {
    std::cout << "# one GPU: nothing to exchange\n";
  } else {
    std::cout << "# ring " << join(order, " -> ") << ", " << fixed(ring.effective_gbps, 2) << " GB/s effective bottleneck, "
              << planner.channels(all_gpus(topo)) << " channels; --algo " << to_string(*algo) << "\n";
  }
  io::Table t({"size (B)", "count", "type", "time (us)", "algbw (GB/s)", "busbw (GB/s)", "algorithm"},
              {io::Table::Align::right, io::Table::Align::right, io::Table::Align::right, io::Table::Align::right,
               io::Table::Align::right, io::Table::Align::right, io::Table::Align::left});
  double busbw_sum = 0;
  for (const auto& r : rows) {
    const Shown s = bandwidths(r, *op, n);
    busbw_sum += s.busbw_gbps;
    t.add({format_double(r.bytes), format_double(std::floor(r.bytes / kFloatBytes)), "float", fixed(r.time / kMicro, 2),
           fixed(s.algbw_gbps, 2), fixed(s.busbw_gbps, 2), std::string(to_string(r.algorithm))});
  }
  std::cout << t.render();
  std::cout << "# Avg bus bandwidth: " << fixed(rows.empty() ? 0.0 : busbw_sum / static_cast<double>(rows.size()), 3)
            << " GB/s\n";
  return 0;
}

}  // namespace trainsim::cli
