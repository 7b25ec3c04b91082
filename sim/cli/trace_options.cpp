#include "sim/cli/trace_options.hpp"

namespace trainsim::cli {

void add_trace_options(Args& args, io::TraceLevel default_level) {
  args.option("output", "FILE.h5", "write the results to an HDF5 file (docs/hdf5-schema.md)", std::nullopt, "-o")
      .option("trace", "LEVEL", "what the HDF5 file holds: none (summary, epochs), iterations, events (every activity)",
              io::to_string(default_level))
      .option("chrome-trace", "FILE.json", "write the chosen iterations as a Chrome trace (open in ui.perfetto.dev)")
      .option("chrome-iterations", "A:B", "iterations of the Chrome trace, both included (default 1: the first steady one)");
}

io::TraceOptions trace_options(const Args& args) {
  io::TraceOptions o;
  o.output = args.get("output");
  o.level = io::parse_trace_level(args.get("trace"));
  if (args.has("trace") && o.output.empty()) throw UsageError("trainsim " + args.command() + ": --trace needs -o FILE.h5");
  o.chrome_trace = args.get("chrome-trace");
  if (args.has("chrome-iterations")) {
    if (o.chrome_trace.empty()) {
      throw UsageError("trainsim " + args.command() + ": --chrome-iterations needs --chrome-trace FILE.json");
    }
    o.chrome_iterations = io::parse_iteration_range(args.get("chrome-iterations"));
  }
  return o;
}

}  // namespace trainsim::cli
