// The output options shared by run, campaign, compare and sweep: -o FILE.h5, --trace LEVEL,
// --chrome-trace FILE.json, --chrome-iterations A:B. Read them into io::TraceOptions and give
// those to io::TraceOutput (sim/report/trace_output.hpp).
#pragma once

#include "sim/cli/args.hpp"
#include "sim/report/trace_output.hpp"

namespace trainsim::cli {

// `default_level`: what --trace means when only -o is given.
void add_trace_options(Args& args, io::TraceLevel default_level = io::TraceLevel::iterations);

// Bad values are InputError (exit status 2); --trace without -o and --chrome-iterations without
// --chrome-trace are UsageError.
[[nodiscard]] io::TraceOptions trace_options(const Args& args);

}  // namespace trainsim::cli
