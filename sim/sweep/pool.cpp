#include "sim/sweep/pool.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include "sim/io/run_report.hpp"
#include "sim/io/scenario_io.hpp"
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

PointOutcome run_one(const Scenario& s, const std::string& fault, const PoolOptions& o) {
  std::vector<std::string> argv{self_executable()};
  if (fault.empty()) {
    for (const std::string a : {"run", "-", "--json", "--no-baseline", "--replay"}) argv.push_back(a);
    argv.emplace_back(to_string(o.replay));
    argv.emplace_back("--replay-ci");
    argv.push_back(format_double(o.sampling.rel_half_width));
  } else {
    argv.emplace_back("_fault");
    argv.push_back(fault);
  }
  PointOutcome out;
  try {
    const ChildResult r = run_child(argv, io::scenario_to_yaml(s), o.timeout_s);
    if (r.ok()) {
      out.summary = io::parse_run_json(r.out);
      out.run_json = r.out;
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

}  // namespace

std::vector<PointOutcome> run_points(const std::vector<Scenario>& scenarios, const std::vector<long long>& indices,
                                     const PoolOptions& options) {
  if (indices.size() != scenarios.size()) throw RuntimeError("run_points: one index per scenario expected");
  const auto faults = test_faults();
  std::vector<PointOutcome> out(scenarios.size());
  std::mutex progress_mutex;
  std::size_t done = 0;
  tbb::task_arena arena(std::max(1, options.jobs));
  arena.execute([&] {
    // One point per task: points differ in cost, and a blocked worker waits for its child only.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, scenarios.size(), 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          const auto f = faults.find(indices[i]);
                          out[i] = run_one(scenarios[i], f == faults.end() ? "" : f->second, options);
                          const std::lock_guard lock(progress_mutex);
                          ++done;
                          if (options.finished) options.finished(indices[i], out[i]);
                          if (options.progress) options.progress(done, scenarios.size());
                        }
                      },
                      tbb::simple_partitioner());
  });
  return out;
}

}  // namespace trainsim::sweep
