// trainsim _fault crash|hang: a hidden test aid (docs/sweeps.md). A sweep runs it in place of a
// point's `trainsim run` when TRAINSIM_TEST_SWEEP_FAULTS names the point, so that the tests see a
// child really die of a signal (SIGKILL), or really run past --timeout.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"

namespace trainsim::cli {

int cmd_fault(int argc, char** argv) {
  Args args("_fault", "Hidden test aid: read standard input, then die of SIGKILL (crash) or sleep for an hour (hang).");
  args.positional("KIND", "crash or hang");
  if (!args.parse(argc, argv, 2)) return 0;
  const std::string kind = args.get("KIND");
  if (kind != "crash" && kind != "hang") throw UsageError("trainsim _fault: KIND is crash or hang");
  const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (kind == "crash") std::raise(SIGKILL);  // no core file, unlike SIGABRT or SIGSEGV
  std::this_thread::sleep_for(std::chrono::hours(1));
  return 0;
}

}  // namespace trainsim::cli
