// Multi-node rows of `trainsim validate --collectives` (validate_multinode.cpp).
#pragma once

#include <string>
#include <vector>

#include "sim/input/reference_io.hpp"
#include "sim/util/json.hpp"

namespace trainsim::cli {

struct MultinodeOutcome {
  io::MultinodeReference ref;
  double busbw_gbps = 0;
  double error = 0;  // (predicted - reference) / reference; the flat ring NCCL runs
  std::string auto_algorithm;  // what auto runs (across machines of several GPUs: hierarchical)
  double auto_busbw_gbps = 0;
  double auto_error = 0;
};

// Every row of reference_dir/allreduce-multinode.csv (none when the file is absent), each
// simulated by `trainsim collective` in a child process.
[[nodiscard]] std::vector<MultinodeOutcome> run_multinode(const std::string& reference_dir);
[[nodiscard]] Json multinode_json(const std::vector<MultinodeOutcome>& rows);
[[nodiscard]] std::string multinode_text(const std::vector<MultinodeOutcome>& rows);

}  // namespace trainsim::cli
