// trainsim validate: predictions beside published measurements (shared/reference), row by row.
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/validate.hpp"
#include "sim/input/catalog_io.hpp"

namespace trainsim::cli {

int cmd_validate(int argc, char** argv) {
  Args args("validate", "Compare trainsim's predictions with published measurements, row by row, with errors.\n"
                        "Exactly one of the table options.");
  args.flag("collectives", "all-reduce bus bandwidth vs nccl-tests figures (reference/allreduce.csv)")
      .flag("single-gpu", "single-GPU ResNet-50 training throughput (gpus = 1 rows of training-throughput.csv)")
      .flag("scaling", "multi-GPU throughput and scaling efficiency (gpus > 1 rows)")
      .flag("json", "print JSON rows and a summary")
      .option("reference", "DIR", "the folder with allreduce.csv and training-throughput.csv (default: platforms/reference)");
  if (!args.parse(argc, argv, 2)) return 0;
  const int chosen = static_cast<int>(args.has("collectives")) + static_cast<int>(args.has("single-gpu")) +
                     static_cast<int>(args.has("scaling"));
  if (chosen != 1) throw UsageError("trainsim validate: give exactly one of --collectives, --single-gpu, --scaling");
  ValidateOptions opt{args.has("reference") ? args.get("reference") : io::data_dir() + "/platforms/reference",
                      args.has("json")};
  if (args.has("collectives")) return validate_collectives(opt);
  if (args.has("single-gpu")) return validate_single_gpu(opt);
  return validate_scaling(opt);
}

}  // namespace trainsim::cli
