// trainsim bench: speed of the simulator itself, as ratios against a bare SimGrid baseline run in
// the same invocation (in a child process: one simulation per process).
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/bench.hpp"
#include "sim/cli/commands.hpp"

namespace trainsim::cli {

int cmd_bench(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h") {
    std::cout << "usage: trainsim bench collective|run|sweep|trace [options]\n\n"
                 "Benchmarks of trainsim itself; each prints its ratio against a baseline measured in the same run.\n"
                 "  collective  a long all-reduce sequence vs a bare SimGrid graph of as many flows\n"
                 "  run         a long training replay vs a bare SimGrid graph of as many activities\n"
                 "  sweep       a 1,000-point sampled sweep at -j 1 and -j 2\n"
                 "  trace       reading a 35 MB PyTorch profiler trace\n";
    return argc < 3 ? 2 : 0;
  }
  const std::string which = argv[2];
  if (which == "collective") return bench_collective(argc, argv);
  if (which == "run") return bench_run(argc, argv);
  if (which == "sweep") return bench_sweep(argc, argv);
  if (which == "trace") return bench_trace(argc, argv);
  throw UsageError("trainsim bench: unknown benchmark '" + which + "' (collective, run, sweep, trace)");
}

}  // namespace trainsim::cli
