#include "sim/cli/child_run.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "sim/cli/commands.hpp"
#include "sim/input/scenario_io.hpp"
#include "sim/report/run_report.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

ChildResult run_command_forked(const std::vector<std::string>& command, const std::string& input, double timeout_s) {
  return run_forked(
      [&command] {
        std::vector<std::string> copy = command;
        std::vector<char*> pointers;
        for (auto& a : copy) pointers.push_back(a.data());
        pointers.push_back(nullptr);
        return run_command(static_cast<int>(copy.size()), pointers.data());
      },
      input, timeout_s);
}

ChildRun run_scenario_child(const Scenario& s, std::optional<long long> iterations,
                            const std::vector<std::string>& extra) {
  std::vector<std::string> argv{self_executable(), "run", "-", "--json", "--no-baseline"};
  if (iterations) {
    argv.emplace_back("--iterations");
    argv.push_back(std::to_string(*iterations));
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  const ChildResult r = run_child(argv, io::scenario_to_yaml(s));
  ChildRun out;
  if (!r.ok()) {
    out.error = r.describe();
    return out;
  }
  out.summary = io::parse_run_json(r.out);
  out.ok = true;
  return out;
}

std::vector<ChildRun> run_scenarios(const std::vector<Scenario>& scenarios, std::optional<long long> iterations,
                                    int jobs) {
  std::vector<ChildRun> out(scenarios.size());
  tbb::task_arena arena(std::max(1, jobs));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, scenarios.size(), [&](std::size_t i) {
      out[i] = run_scenario_child(scenarios[i], iterations);
    });
  });
  return out;
}

}  // namespace trainsim::cli
