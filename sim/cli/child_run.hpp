// Simulations in child processes: SimGrid runs one simulation per process, so every extra
// simulation of a command (the 1-GPU baseline, validation rows, campaign runs) runs as
// `trainsim run - --json --no-baseline` with the resolved scenario on its standard input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/engine/results.hpp"
#include "sim/engine/scenario.hpp"
#include "sim/util/subprocess.hpp"

namespace trainsim::cli {

struct ChildRun {
  bool ok = false;
  RunSummary summary;
  std::string error;  // when !ok: the child's last error line, or how it died
};

// Runs one scenario in a child process (optionally its first `iterations` only; `extra`: more
// arguments of `trainsim run`, e.g. -o PART.h5 --trace iterations).
// `trainsim <command...>` in a forked copy of this process (input on its standard input): no
// executable to load again, the catalogs already parsed. Sweep points and advise candidates run so.
[[nodiscard]] ChildResult run_command_forked(const std::vector<std::string>& command, const std::string& input,
                                             double timeout_s);
[[nodiscard]] ChildRun run_scenario_child(const Scenario& s, std::optional<long long> iterations = std::nullopt,
                                          const std::vector<std::string>& extra = {});

// Runs several, `jobs` at a time (TBB), results in input order whatever the completion order.
[[nodiscard]] std::vector<ChildRun> run_scenarios(const std::vector<Scenario>& scenarios,
                                                  std::optional<long long> iterations, int jobs);

}  // namespace trainsim::cli
