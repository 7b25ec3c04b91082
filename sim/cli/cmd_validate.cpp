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
      .flag("models", "single-GPU training throughput of other models (reference/model-throughput.csv)")
      .flag("json", "print JSON rows and a summary")
      .option("reference", "DIR", "the folder with allreduce.csv and training-throughput.csv (default: platforms/reference); for --models also the CSV file")
      .option("onnx", "DIR", "--models: the folder with the NAME.onnx rows' files (else: not run)");
  if (!args.parse(argc, argv, 2)) return 0;
  const int chosen = static_cast<int>(args.has("collectives")) + static_cast<int>(args.has("single-gpu")) +
                     static_cast<int>(args.has("scaling")) + static_cast<int>(args.has("models"));
  if (chosen != 1) throw UsageError("trainsim validate: give exactly one of --collectives, --single-gpu, --scaling, --models");
  if (args.has("onnx") && !args.has("models")) throw UsageError("trainsim validate: --onnx goes with --models");
  ValidateOptions opt{args.has("reference") ? args.get("reference") : io::data_dir() + "/platforms/reference",
                      args.has("json"), !args.has("reference"), args.has("onnx") ? args.get("onnx") : ""};
  if (args.has("collectives")) return validate_collectives(opt);
  if (args.has("single-gpu")) return validate_single_gpu(opt);
  if (args.has("models")) return validate_models(opt);
  return validate_scaling(opt);
}

}  // namespace trainsim::cli
