// Replaying a scenario: the engine's public, SimGrid-free entry point.
#pragma once

#include <functional>

#include "sim/engine/events.hpp"
#include "sim/engine/plan.hpp"
#include "sim/engine/results.hpp"
#include "sim/engine/scenario.hpp"
#include "sim/model/sampling.hpp"

namespace trainsim {

// full: every iteration of every epoch. sampled: one epoch of each distinct shape, each replayed
// until its mean iteration time is known to the rule's confidence, the rest extrapolated
// (epoch_plan.hpp, sampled_estimate.hpp; docs/scenarios.md "Sampled replay").
enum class ReplayMode { full, sampled };

[[nodiscard]] const char* to_string(ReplayMode mode);
// "full" or "sampled"; anything else is an InputError naming `option`.
[[nodiscard]] ReplayMode parse_replay_mode(const std::string& text, const std::string& option = "--replay");

struct RunOptions {
  std::optional<long long> iterations;  // replay only the first N iterations
  ReplayMode replay = ReplayMode::full;
  SamplingRule sampling;                // when replay is sampled
  Recorder* recorder = nullptr;         // every activity, when a trace is asked for
  // Called as iterations finish: (iterations done, iterations in all, simulated seconds).
  std::function<void(long long, long long, Seconds)> progress;
};

// Everything needed to replay, worked out and checked: the topology, the compute profile (with
// the batch resolved), the plan. Throws InputError when the scenario cannot run.
struct PreparedRun {
  Topology topo;
  ComputeProfile profile;
  ReplayPlan plan;
};

[[nodiscard]] PreparedRun prepare_run(const Scenario& s, const Catalog& catalog, const LoaderCosts& loader,
                                      const RunOptions& options = {});

// Replays the scenario on SimGrid. One per process (SimGrid's engine is a singleton).
[[nodiscard]] RunResult simulate(const PreparedRun& run, const RunOptions& options = {});

}  // namespace trainsim
