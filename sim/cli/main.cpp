// trainsim: a discrete-event simulator of multi-GPU training. `trainsim --help` lists commands.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/signal_cleanup.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};

const std::vector<Command>& commands() {
  static const std::vector<Command> list{
      {"gpus", trainsim::cli::cmd_gpus, "the GPU catalog with dense peak figures"},
      {"topo", trainsim::cli::cmd_topo, "a node's topology: links, GPU-to-GPU paths, best ring"},
      {"model", trainsim::cli::cmd_model, "one model on one GPU: FLOPs, memory, max batch, time per layer"},
      {"run", trainsim::cli::cmd_run, "replay a training scenario: throughput, iteration split, scaling"},
      {"campaign", trainsim::cli::cmd_campaign, "a campaign of staged runs as a timeline: hours, cost, kWh, CO2"},
      {"compare", trainsim::cli::cmd_compare, "a campaign on several platforms side by side (--against-report)"},
      {"advise", trainsim::cli::cmd_advise, "which platform for a campaign: every candidate ranked, frontier, buy or rent"},
      {"sweep", trainsim::cli::cmd_sweep, "run a grid of scenarios in parallel: one table in HDF5 and CSV"},
      {"scale", trainsim::cli::cmd_scale, "a scenario on 1, 2, 4, ... nodes of a cluster: images/s, scaling efficiency"},
      {"merge", trainsim::cli::cmd_merge, "join the shard files of one sweep into one"},
      {"validate", trainsim::cli::cmd_validate, "predictions beside published measurements"},
      {"bench", trainsim::cli::cmd_bench, "speed of the simulator against a bare SimGrid baseline"},
      {"profile", trainsim::cli::cmd_profile, "a PyTorch profiler trace per step; predicted on another GPU"},
      {"collective", trainsim::cli::cmd_collective, "the nccl-tests table of a collective on a node"},
  };
  return list;
}

// Test and benchmark aids: run like the others, listed nowhere (documented where they are used).
const std::vector<Command>& hidden_commands() {
  static const std::vector<Command> list{
      {"_trace-sample", trainsim::cli::cmd_trace_sample, "HDF5 and Chrome trace files from synthetic runs"},
      {"_fault", trainsim::cli::cmd_fault, "a child that crashes or hangs (sweep tests)"},
  };
  return list;
}

void usage(std::ostream& out) {
  out << "usage: trainsim COMMAND [options]\n\n"
         "Discrete-event simulation of multi-GPU training on SimGrid: iterations, epochs, runs,\n"
         "campaigns, with cost, energy and CO2.\n\ncommands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(12 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\n'trainsim COMMAND --help' describes a command. Data: $TRAINSIM_DATA or " << TRAINSIM_DATA_DIR << "\n";
}

}  // namespace

// The command argv[1] with its arguments; errors as one line on stderr, status 2 for bad input.
int trainsim::cli::run_command(int argc, char** argv) {
  const std::string name = argv[1];
  try {
    for (const auto& c : commands()) {
      if (name == c.name) return c.run(argc, argv);
    }
    for (const auto& c : hidden_commands()) {
      if (name == c.name) return c.run(argc, argv);
    }
    std::vector<std::string> names;
    for (const auto& c : commands()) names.emplace_back(c.name);
    const auto near = trainsim::nearest(name, names, 1);
    std::cerr << "trainsim: unknown command '" << name << "'"
              << (near.empty() ? "" : " (did you mean '" + near.front() + "'?)") << "; see 'trainsim --help'\n";
    return 2;
  } catch (const trainsim::InputError& e) {
    std::cerr << "trainsim: error: " << e.what() << "\n";
    return 2;
  } catch (const trainsim::cli::UsageError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "trainsim: error: " << e.what() << "\n";
    return 1;
  }
}

int main(int argc, char** argv) {
  trainsim::io::set_default_data_dir(TRAINSIM_DATA_DIR);
  trainsim::cli::install_signal_cleanup();  // Ctrl-C: no temporary files, no orphan children
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "trainsim " << TRAINSIM_VERSION << "\n";
    return 0;
  }
  return trainsim::cli::run_command(argc, argv);
}
