// The subcommands of the trainsim binary. Each returns the process exit status; errors are thrown
// (InputError, UsageError, RuntimeError) and turned into messages by main.
#pragma once

namespace trainsim::cli {

int cmd_gpus(int argc, char** argv);
int cmd_topo(int argc, char** argv);
int cmd_collective(int argc, char** argv);
int cmd_validate(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_model(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_campaign(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_advise(int argc, char** argv);
int cmd_sweep(int argc, char** argv);
int cmd_scale(int argc, char** argv);
int cmd_profile(int argc, char** argv);
// argv[1] is the command: what main() runs, also in a forked sweep point (sim/cli/main.cpp).
int run_command(int argc, char** argv);
int cmd_merge(int argc, char** argv);

// Hidden from --help: test and benchmark aids.
int cmd_trace_sample(int argc, char** argv);
int cmd_fault(int argc, char** argv);

}  // namespace trainsim::cli
