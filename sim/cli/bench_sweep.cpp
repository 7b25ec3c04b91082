// trainsim bench sweep: the wall time of a 1,000-point sampled sweep at -j 1 and at -j 2, each
// run as its own `trainsim sweep` child (process start-up included, as a user would see it),
// and a check that both give the same table.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/bench.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/input/csv.hpp"
#include "sim/input/yaml.hpp"
#include "sim/util/json.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

namespace {

namespace fs = std::filesystem;

// The interconnect sweep's base over 2 GPUs x 5 PCIe generations x N/10 NVLink bandwidths.
std::string sweep_text(const std::string& base, long long points) {
  std::string gbps;
  const long long n = points / 10;
  for (long long i = 1; i <= n; ++i) gbps += (i > 1 ? ", " : "") + format_double(5.0 * static_cast<double>(i) * 100.0 / static_cast<double>(n));
  return "# written by trainsim bench sweep\nbase: " + base +
         "\naxes:\n  platform.gpu: [rtx3090, h100-pcie-80gb]\n  platform.pcie.gen: [1, 2, 3, 4, 5]\n"
         "  platform.interconnect: [nvlink-pairs]\n  platform.nvlink.gbps: [" + gbps + "]\n";
}

struct Timed {
  double wall_s = 0;
  double cpu_s = 0;  // of the sweep and all its children: what the machine's other load cannot inflate
  std::string csv;
  long long ok = 0;
};

// `exec`: each point starts the executable again (TRAINSIM_SWEEP_EXEC=1), the baseline that the
// forked points of trainsim sweep are measured against; `shard` a slice of the sweep.
Timed run_sweep(const fs::path& dir, const std::string& jobs, bool exec = false, const std::string& shard = "0/1") {
  const std::string csv = (dir / ("j" + jobs + (exec ? "-exec" : "") + ".csv")).string();
  std::cerr << "bench sweep: -j " << jobs << (exec ? ", a process started per point, shard " + shard : std::string()) << " ...\n";
  if (exec) ::setenv("TRAINSIM_SWEEP_EXEC", "1", 1);
  const auto t0 = std::chrono::steady_clock::now();
  const ChildResult r = run_child({self_executable(), "sweep", (dir / "sweep.yaml").string(), "-j", jobs, "--replay", "sampled",
                                   "--csv", csv, "--shard", shard});
  ::unsetenv("TRAINSIM_SWEEP_EXEC");
  Timed t;
  t.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.ok()) throw RuntimeError("the sweep at -j " + jobs + " failed: " + r.describe());
  t.cpu_s = r.cpu_s;
  t.csv = io::read_text_file(csv, "the sweep's CSV");
  const io::CsvTable table = io::CsvTable::parse(t.csv, csv);
  for (const auto& rec : table.records()) t.ok += table.get(rec, "status") == "ok" ? 1 : 0;
  return t;
}

}  // namespace

int bench_sweep(int argc, char** argv) {
  Args args("bench sweep", "Times a sampled sweep of the HRNet-W44 stage (scenarios/hrnet-w44-4x3090-pcie.yaml) over\n"
                           "2 GPUs x 5 PCIe generations x 100 NVLink bandwidths (1,000 points) at -j 1 and -j 2, each a\n"
                           "`trainsim sweep` child; prints points per second and checks that both tables are identical.");
  args.flag("json", "print JSON: points, wall_s_j1, wall_s_j2, points_per_s_j1, points_per_s_j2, cpu_s_j1, cpu_s_j2,\n"
                    "cpu_ms_per_point, exec_cpu_ms_per_point, cpu_ratio_fork_vs_exec, ok, identical")
      .option("points", "N", "points in the sweep, a multiple of 10 (a quick check; the benchmark is 1,000)", "1000");
  if (!args.parse(argc, argv, 3)) return 0;
  const long long points = args.get_int("points", 10, 100000);
  if (points % 10 != 0) throw UsageError("trainsim bench sweep: --points must be a multiple of 10");
  const fs::path dir = fs::temp_directory_path() / ("trainsim-bench-sweep-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  io::write_text_file_atomic((dir / "sweep.yaml").string(),
                             sweep_text(io::data_dir() + "/scenarios/hrnet-w44-4x3090-pcie.yaml", points));
  const Timed j1 = run_sweep(dir, "1");
  const Timed j2 = run_sweep(dir, "2");
  const bool identical = j1.csv == j2.csv;
  // The baseline: a tenth of the points, each point a new process as before trainsim forked them.
  const Timed exec = run_sweep(dir, "2", true, "0/10");
  const long long exec_points = (points + 9) / 10;
  const double fork_ms = 1e3 * j2.cpu_s / static_cast<double>(points);
  const double exec_ms = 1e3 * exec.cpu_s / static_cast<double>(exec_points);
  if (args.has("json")) {
    Json j = Json::object();
    j["points"] = points;
    j["wall_s_j1"] = j1.wall_s;
    j["wall_s_j2"] = j2.wall_s;
    j["points_per_s_j1"] = static_cast<double>(points) / j1.wall_s;
    j["points_per_s_j2"] = static_cast<double>(points) / j2.wall_s;
    j["cpu_s_j1"] = j1.cpu_s;
    j["cpu_s_j2"] = j2.cpu_s;
    j["cpu_ms_per_point"] = 1e3 * j2.cpu_s / static_cast<double>(points);
    j["exec_cpu_ms_per_point"] = exec_ms;
    j["cpu_ratio_fork_vs_exec"] = fork_ms / exec_ms;
    j["ok"] = j2.ok;
    j["identical"] = identical;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "sweep of " << points << " points (sampled replay), each point a forked trainsim process\n"
              << "  -j 1  " << fixed(j1.wall_s, 1) << " s  " << fixed(static_cast<double>(points) / j1.wall_s, 1)
              << " points/s  (" << fixed(j1.cpu_s, 1) << " CPU s)\n"
              << "  -j 2  " << fixed(j2.wall_s, 1) << " s  " << fixed(static_cast<double>(points) / j2.wall_s, 1)
              << " points/s  (" << fixed(j2.cpu_s, 1) << " CPU s: " << fixed(1e3 * j2.cpu_s / static_cast<double>(points), 0)
              << " ms per point)\n"
              << "  baseline: a process started per point (" << exec_points << " points, -j 2): " << fixed(exec_ms, 0)
              << " CPU ms per point; forked points cost " << fixed(fork_ms / exec_ms, 2) << "x that\n"
              << "  " << j2.ok << " of " << points << " ok; tables " << (identical ? "identical" : "DIFFER") << "  (goal: 1,000 points in <= 60 s at -j 2)\n";
  }
  return identical ? 0 : 1;
}

}  // namespace trainsim::cli
