// Validation of the collectives: each row of allreduce.csv (published nccl-tests all-reduce bus
// bandwidth) on the preset node of its GPU, count and interconnect (platforms/nodes), or, when no
// preset has them, on the compact node they describe. The CLI runs each row as `trainsim
// collective` in a child process (one simulation per process) and prints the table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/input/reference_io.hpp"

namespace trainsim::validation {

// The bound the test suite holds the table to (tests/cli/test_validate_collectives.py).
inline constexpr double kCollectivesMedianBound = 0.15;

struct CollectiveRow {
  io::AllreduceReference ref;
  std::string node;       // the preset it runs on, or the name of `built`
  std::optional<NodeSpec> built;  // the compact node of the row, when no preset has it
  std::string algorithm;  // what ran (auto resolved)
  double busbw_gbps = 0;  // predicted
  double error = 0;       // (predicted - reference) / reference
};

// Reads DIR/allreduce.csv and chooses each row's node; the predictions are left to fill. A GPU
// outside the catalog, or a node that cannot be built, is an InputError naming the row.
[[nodiscard]] std::vector<CollectiveRow> plan_collectives(const std::string& reference_dir);

// Records a prediction and its error.
void set_prediction(CollectiveRow& row, double busbw_gbps, const std::string& algorithm);

[[nodiscard]] double median_abs_error(const std::vector<CollectiveRow>& rows);

}  // namespace trainsim::validation
