#include "sim/sweep/pool.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include "sim/input/scenario_io.hpp"
#include "sim/report/run_report.hpp"
#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::sweep {

namespace {

// TRAINSIM_TEST_SWEEP_FAULTS: point -> "crash" | "hang".
std::map<long long, std::string> test_faults() {
  std::map<long long, std::string> out;
  const char* env = std::getenv("TRAINSIM_TEST_SWEEP_FAULTS");
  if (env == nullptr) return out;
  for (const auto& item : split(env, ',')) {
    const auto colon = item.find(':');
    const std::string point = trim(item.substr(0, colon));
    const std::string kind = colon == std::string::npos ? "" : trim(item.substr(colon + 1));
    if ((kind != "crash" && kind != "hang") || point.empty() || point.find_first_not_of("0123456789") != std::string::npos) {
      throw InputError({"environment"}, "TRAINSIM_TEST_SWEEP_FAULTS", item, "POINT:crash or POINT:hang, comma-separated");
    }
    out[std::stoll(point)] = kind;
  }
  return out;
}

// The child's last error line without the command's prefix, and without the location inside the
// resolved scenario it read on stdin (the sweep file's own location was checked before the run).
std::string child_error(const ChildResult& r) {
  std::string line = r.describe();
  for (const std::string prefix : {"trainsim: error: ", "<stdin>:"}) {
    const auto at = line.find(prefix);
    if (at == std::string::npos) continue;
    std::string rest = line.substr(at + prefix.size());
    if (prefix == "<stdin>:") {
      // "<stdin>:12:3: key ..." -> "key ..."
      const auto sp = rest.find(": ");
      if (sp != std::string::npos) rest = rest.substr(sp + 2);
    }
    line = line.substr(0, at) + rest;
  }
  return line;
}

// One point: `argv` (or the fault aid) with `input` on stdin; `parse` reads its stdout.
PointOutcome run_one(std::vector<std::string> argv, const std::string& input, const std::string& fault,
                     const PoolOptions& o, bool campaign) {
  if (!fault.empty()) argv = {self_executable(), "_fault", fault};
  PointOutcome out;
  try {
    const ChildResult r = o.runner && fault.empty() ? o.runner(argv, input, o.timeout_s) : run_child(argv, input, o.timeout_s);
    if (r.ok()) {
      out.run_json = r.out;
      parse_point_json(out, campaign);
      out.status = "ok";
      return out;
    }
    out.status = r.timed_out ? "timeout" : (r.signal != 0 ? "crashed" : "failed");
    out.error = child_error(r);
  } catch (const std::exception& e) {  // could not start it, or its output was not a summary
    out.status = "failed";
    out.error = e.what();
  }
  return out;
}

// Runs job(i) for every i, N at a time; results in order whatever finished first.
template <typename Job>
std::vector<PointOutcome> run_all(std::size_t count, const std::vector<long long>& indices, const PoolOptions& options,
                                  Job job) {
  if (indices.size() != count) throw RuntimeError("run_points: one index per point expected");
  const auto faults = test_faults();
  std::vector<PointOutcome> out(count);
  std::mutex progress_mutex;
  std::size_t done = 0;
  tbb::task_arena arena(std::max(1, options.jobs));
  arena.execute([&] {
    // One point per task: points differ in cost, and a blocked worker waits for its child only.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          const auto f = faults.find(indices[i]);
                          out[i] = job(i, f == faults.end() ? std::string() : f->second);
                          const std::lock_guard lock(progress_mutex);
                          ++done;
                          if (options.finished) options.finished(indices[i], out[i]);
                          if (options.progress) options.progress(done, count);
                        }
                      },
                      tbb::simple_partitioner());
  });
  return out;
}

}  // namespace

void parse_point_json(PointOutcome& outcome, bool campaign) {
  if (campaign) {
    outcome.campaign = io::parse_campaign_json(outcome.run_json);
  } else {
    outcome.summary = io::parse_run_json(outcome.run_json);
  }
}

std::vector<PointOutcome> run_points(const std::vector<Scenario>& scenarios, const std::vector<long long>& indices,
                                     const PoolOptions& options) {
  return run_all(scenarios.size(), indices, options, [&](std::size_t i, const std::string& fault) {
    std::vector<std::string> argv{self_executable(), "run", "-", "--json", "--no-baseline", "--replay",
                                  to_string(options.replay), "--replay-ci", format_double(options.sampling.rel_half_width)};
    if (!options.trace_level.empty()) {
      argv.insert(argv.end(), {"-o", options.part_prefix + std::to_string(indices[i]), "--trace", options.trace_level});
    }
    return run_one(std::move(argv), io::scenario_to_yaml(scenarios[i]), fault, options, false);
  });
}

std::vector<PointOutcome> run_campaign_points(const std::vector<std::string>& campaigns, const std::vector<long long>& indices,
                                              const PoolOptions& options) {
  return run_all(campaigns.size(), indices, options, [&](std::size_t i, const std::string& fault) {
    std::vector<std::string> argv{self_executable(), "campaign", "-", "--json", "-j", "1"};
    return run_one(std::move(argv), campaigns[i], fault, options, true);
  });
}

}  // namespace trainsim::sweep
