// trainsim _trace-sample (hidden): writes an HDF5 file of every table of docs/hdf5-schema.md from
// synthetic runs (sim/cli/synthetic_run.hpp), through the same io::TraceOutput as the real
// commands. A test aid (tests/python) and the benchmark of the event writer (docs/hdf5-schema.md).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/signal_cleanup.hpp"
#include "sim/cli/synthetic_run.hpp"
#include "sim/cli/trace_options.hpp"
#include "sim/store/hdf5_merge.hpp"
#include "sim/store/hdf5_run.hpp"
#include "sim/store/hdf5_sweep.hpp"
#include "sim/util/error.hpp"
#include "sim/util/json.hpp"

namespace trainsim::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Fails the command part-way, to show that an interrupted write leaves no file.
class FailAfter final : public Recorder {
 public:
  FailAfter(Recorder& inner, long long n) : inner_(inner), left_(n) {}
  void record(const Event& e) override {
    if (left_-- <= 0) throw RuntimeError("_trace-sample: failing on purpose (--fail-after-events)");
    inner_.record(e);
  }

 private:
  Recorder& inner_;
  long long left_;
};

struct Platform {
  const char* name;
  double speed;
  double usd_per_gpu_hour;
  double kw_per_gpu;
};
constexpr Platform kPlatforms[] = {{"rtx3090", 1.0, 1.50, 0.35}, {"h100", 3.2, 3.78, 0.70}};
constexpr double kIterationsPerRealEpoch = 1250;  // what the synthetic runs' iteration times are scaled by
constexpr double kKgCo2PerKwh = 0.4;

// As compare does with a run in a child process: the run writes a file of its own (events
// included), which is merged into the main file and removed.
RunResult write_through_part(io::TraceOutput& out, const SyntheticSpec& spec, const std::string& group) {
  const std::string part = out.options().output + ".part.4gpu";
  RunResult r;
  {
    io::TraceFile file(part);
    RemoveOnSignal guard(file.temp_path());
    auto events = io::event_writer(file, "/runs/4gpu", out.options().events);
    r = synthetic_run(spec, *events);
    events.reset();
    io::write_run(file, "/runs/4gpu", r, out.options().level);
    file.commit();
  }
  const RemoveOnSignal guard(part);
  out.merge_run(part, "/runs/4gpu", group);
  std::filesystem::remove(part);
  return r;
}

// Scaling runs on 1, 2, 4 GPUs and a three-stage campaign per platform.
void write_platforms(io::TraceOutput& out, std::uint64_t seed) {
  for (const auto& p : kPlatforms) {
    double four_gpu_iteration_s = 0, one_gpu_iteration_s = 0;
    for (int gpus : {1, 2, 4}) {
      SyntheticSpec spec{.gpu = p.name, .node = std::to_string(gpus) + "x-" + p.name, .ranks = gpus, .iterations = 12,
                         .iterations_per_epoch = 6, .speed = p.speed, .link_speed = p.speed, .seed = seed};
      const std::string group = io::run_group(p.name, std::to_string(gpus) + "gpu");
      RunResult r;
      if (gpus == 4 && p.speed == 1.0 && out.file() != nullptr && out.options().level == io::TraceLevel::events) {
        r = write_through_part(out, spec, group);
      } else {
        NullRecorder none;
        r = synthetic_run(spec, none);
        out.write_run(group, r);
      }
      (gpus == 4 ? four_gpu_iteration_s : one_gpu_iteration_s) = r.summary.iteration_mean;
    }
    struct Planned { const char* stage; int runs; int gpus; double epochs; double iteration_s; };
    const Planned plan[] = {{"baseline", 1, 4, 10, four_gpu_iteration_s},
                            {"grid-search", 4, 1, 5, one_gpu_iteration_s},
                            {"final", 1, 4, 48, four_gpu_iteration_s}};
    std::vector<io::StageRow> stages;
    std::vector<io::RunRow> runs;
    double t = 0;
    for (const auto& s : plan) {
      io::StageRow st{.name = s.stage, .start_hours = t, .end_hours = t};
      for (int k = 0; k < s.runs; ++k) {
        const double hours = s.epochs * kIterationsPerRealEpoch * s.iteration_s * (4.0 / s.gpus) / 3600;
        const bool reused = std::string(s.stage) == "grid-search" && k == 3;  // same as the baseline
        const double gpu_hours = reused ? 0 : hours * s.gpus;
        const double kwh = gpu_hours * p.kw_per_gpu * 0.8;
        runs.push_back({.stage = s.stage, .run = std::string(s.stage) + "-" + std::to_string(k), .platform = p.name,
                        .start_hours = t, .end_hours = t + (reused ? 0 : hours), .gpus = s.gpus, .gpu_hours = gpu_hours,
                        .cost_usd = gpu_hours * p.usd_per_gpu_hour, .energy_kwh = kwh, .co2_kg = kwh * kKgCo2PerKwh,
                        .reused = reused});
        st.end_hours = std::max(st.end_hours, runs.back().end_hours);
        st.gpu_hours += gpu_hours;
        st.cost_usd += runs.back().cost_usd;
        st.energy_kwh += kwh;
        st.co2_kg += runs.back().co2_kg;
      }
      st.wall_hours = st.end_hours - st.start_hours;
      t = st.end_hours;
      stages.push_back(st);
    }
    out.write_campaign(io::campaign_group(p.name), stages, runs);
  }
}

// A 2-axis sweep (link bandwidth x GPUs) with one failed point.
void write_sweep(io::TraceOutput& out, std::uint64_t seed) {
  std::vector<std::int64_t> point, gpus_col;
  std::vector<std::string> status, error;
  std::vector<double> link_gbps, images_per_s, iteration_s;
  for (double link : {0.0, 16.0, 32.0, 64.0}) {
    for (int gpus : {2, 4}) {
      point.push_back(static_cast<std::int64_t>(point.size()));
      link_gbps.push_back(link);
      gpus_col.push_back(gpus);
      if (link <= 0) {
        status.emplace_back("failed");
        error.emplace_back("link bandwidth 0 GB/s: expected > 0");
        images_per_s.push_back(std::numeric_limits<double>::quiet_NaN());
        iteration_s.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      NullRecorder none;
      const RunResult r = synthetic_run({.ranks = gpus, .iterations = 6, .iterations_per_epoch = 6, .link_speed = link / 10, .seed = seed}, none);
      status.emplace_back("ok");
      error.emplace_back();
      images_per_s.push_back(r.summary.images_per_s);
      iteration_s.push_back(r.summary.iteration_mean);
    }
  }
  io::ColumnTable t;
  t.add("point", std::move(point)).add("status", std::move(status)).add("error", std::move(error));
  t.add("link_gbps", std::move(link_gbps)).add("gpus", std::move(gpus_col));
  t.add("images_per_s", std::move(images_per_s)).add("iteration_s", std::move(iteration_s));
  out.write_points("/sweep", t);
  if (out.file() != nullptr) {
    io::write_sweep_attributes(*out.file(), "/sweep",
                               {"synthetic", "# trainsim _trace-sample: a synthetic sweep\n", "full", 8, 0, 1});
  }
}

}  // namespace

int cmd_trace_sample(int argc, char** argv) {
  Args args("_trace-sample",
            "Hidden test and benchmark aid: writes every table of docs/hdf5-schema.md from synthetic runs.\n"
            "The main run (/runs/sample) streams its events; prints a JSON line of sizes and timings.");
  add_trace_options(args, io::TraceLevel::events);
  args.option("events", "N", "main run: exactly N events (0: --iterations whole iterations)", "0")
      .option("iterations", "N", "main run: iterations when --events is 0", "24")
      .option("ranks", "N", "main run: GPUs", "4")
      .option("seed", "N", "jitter seed", "1")
      .option("deflate", "LEVEL", "deflate level of the events table (0-9)", "4")
      .option("chunk-events", "N", "events per HDF5 chunk", "16384")
      .option("fail-after-events", "N", "throw after N events: an interrupted write must leave no file")
      .flag("minimal", "only the main run (for measuring the events table)")
      .flag("benchmark", "also time the generation alone, to report the writing time by difference");
  if (!args.parse(argc, argv, 2)) return 0;
  io::TraceOptions options = trace_options(args);
  if (options.output.empty() && options.chrome_trace.empty()) throw UsageError("trainsim _trace-sample: -o FILE.h5 or --chrome-trace FILE.json needed");
  options.events.deflate_level = static_cast<int>(args.get_int("deflate", 0, 9));
  options.events.chunk_events = static_cast<std::size_t>(args.get_int("chunk-events", 1, 1 << 22));
  options.events.block_events = 4 * options.events.chunk_events;
  const auto seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 1LL << 62));
  const SyntheticSpec spec{.ranks = static_cast<int>(args.get_int("ranks", 1, 1024)),
                           .iterations = args.get_int("iterations", 1, 1LL << 40),
                           .max_events = args.get_int("events", 0, 1LL << 40),
                           .seed = seed};
  const std::string scenario = "# trainsim _trace-sample: synthetic runs, not a simulation\nsample:\n  ranks: " +
                               std::to_string(spec.ranks) + "\n  events: " + std::to_string(spec.max_events) +
                               "\n  iterations: " + std::to_string(spec.iterations) + "\n";

  double generate_s = 0;
  if (args.has("benchmark")) {
    NullRecorder none;
    const auto t0 = Clock::now();
    (void)synthetic_run(spec, none);
    generate_s = seconds_since(t0);
  }
  const auto t0 = Clock::now();
  io::TraceOutput out(options, scenario, static_cast<long long>(seed));
  const RemoveOnSignal guard(out.file() != nullptr ? out.file()->temp_path() : "");
  RunResult main_run;
  {
    auto recorder = out.recorder("/runs/sample");
    std::unique_ptr<Recorder> failing;
    if (args.has("fail-after-events")) failing = std::make_unique<FailAfter>(*recorder, args.get_int("fail-after-events", 0, 1LL << 40));
    main_run = synthetic_run(spec, failing ? *failing : *recorder);
  }
  out.write_run("/runs/sample", main_run);
  if (!args.has("minimal")) {
    write_platforms(out, seed);
    write_sweep(out, seed);
  }
  out.commit();
  const double total_s = seconds_since(t0);

  Json j = Json::object();
  j["events"] = main_run.summary.activities;
  j["iterations"] = main_run.summary.iterations;
  std::error_code ec;
  const auto bytes = options.output.empty() ? 0 : std::filesystem::file_size(options.output, ec);
  j["file_bytes"] = static_cast<long long>(ec ? 0 : bytes);
  j["total_s"] = total_s;
  if (args.has("benchmark")) {
    j["generate_s"] = generate_s;
    j["write_s"] = total_s - generate_s;
  }
  std::cout << j.dump(-1) << "\n";
  return 0;
}

}  // namespace trainsim::cli
