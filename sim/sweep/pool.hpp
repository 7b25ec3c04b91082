// Running sweep points: each in its own child process (`trainsim run - --json --no-baseline` with
// the resolved scenario on stdin; SimGrid runs one simulation per process), N at a time under TBB.
// A point that fails (an error at run time, a crash, a timeout) is recorded with its status and
// error; the others go on.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/run.hpp"
#include "sim/engine/scenario.hpp"
#include "sim/input/campaign_json.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::sweep {

// ok | failed (the run stopped with an error, e.g. a batch that does not fit) | crashed (killed
// by a signal) | timeout (killed after PoolOptions::timeout_s).
struct PointOutcome {
  std::string status;
  std::string error;  // one line; empty when ok
  RunSummary summary;
  io::CampaignTotals campaign;  // a campaign point's totals
  std::string run_json;  // the child's `trainsim run --json` (or `campaign --json`) text, when ok: the journal keeps it
  [[nodiscard]] bool ok() const { return status == "ok"; }
};

struct PoolOptions {
  int jobs = 1;
  ReplayMode replay = ReplayMode::full;
  SamplingRule sampling;
  double timeout_s = 0;  // per point; 0: none
  // With a level (iterations or events), each scenario point also writes its run to the HDF5 file
  // `part_prefix` + point index (`trainsim run -o PART --trace LEVEL`), for the sweep to merge.
  std::string trace_level;
  std::string part_prefix;
  // Called after each point, from the worker threads one at a time: (points done, points in all).
  std::function<void(std::size_t, std::size_t)> progress;
  // Called as each point ends, under the same lock: (the point's index in the sweep, its outcome).
  std::function<void(long long, const PointOutcome&)> finished;
  // Runs one point's command (argv[0] is this executable) with its input; run_child when empty.
  // trainsim sweep gives one that forks this process instead of starting the executable again.
  std::function<ChildResult(const std::vector<std::string>& argv, const std::string& input, double timeout_s)> runner;
};

// Runs `scenarios[i]` for every i, results in the same order whatever finished first.
// `indices[i]` is the point's index in the sweep (for the test aid below).
//
// Test aid (docs/sweeps.md): TRAINSIM_TEST_SWEEP_FAULTS="3:crash,5:hang" runs point 3 as a child
// that dies of SIGKILL and point 5 as one that sleeps until the timeout kills it, through the
// hidden command `trainsim _fault`, so that the tests see real crashes and timeouts.
[[nodiscard]] std::vector<PointOutcome> run_points(const std::vector<Scenario>& scenarios,
                                                   const std::vector<long long>& indices, const PoolOptions& options);

// A sweep over a campaign: `trainsim campaign - --json -j 1` for each point's campaign text.
[[nodiscard]] std::vector<PointOutcome> run_campaign_points(const std::vector<std::string>& campaigns,
                                                            const std::vector<long long>& indices,
                                                            const PoolOptions& options);

// The outcome's summary (or campaign totals) read back from its JSON text (the journal's).
void parse_point_json(PointOutcome& outcome, bool campaign);

}  // namespace trainsim::sweep
