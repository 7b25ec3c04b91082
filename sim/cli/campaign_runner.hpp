// Running a campaign's distinct simulations: each in a child process (`trainsim run - --json
// --no-baseline`, one SimGrid simulation per process), `jobs` at a time, the heaviest first.
#pragma once

#include "sim/cli/child_run.hpp"

#include <functional>
#include <string>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/scenario.hpp"
#include "sim/store/hdf5_file.hpp"

namespace trainsim::cli {

struct ChildJob {
  const Scenario* scenario = nullptr;
  double weight = 0;
  std::string part;  // -o PART.h5 for the child; empty: none
  io::TraceLevel level = io::TraceLevel::iterations;
};

using ChildOutcome = ChildRun;

// Results in the jobs' order. `done` is called (from worker threads, one at a time) as each ends.
[[nodiscard]] std::vector<ChildOutcome> run_children(const std::vector<ChildJob>& jobs, int parallel,
                                                     const std::function<void(std::size_t done, std::size_t total)>& done);

}  // namespace trainsim::cli
