// trainsim model: one model of the zoo on one GPU (or all): parameters, FLOPs, memory and the
// largest batch, predicted forward/backward/optimizer times, images/s and the slowest layers;
// optionally calibrated from one measured iteration.
#include <iostream>
#include <optional>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/model_args.hpp"
#include "sim/cli/model_report.hpp"
#include "sim/input/catalog_io.hpp"
#include "sim/import/onnx_model.hpp"
#include "sim/model/calibration.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::cli {

namespace {

const SourceLocation kCommandLine{"command line"};

// What an ONNX import adds to the report: the file, and the operators costed as generic
// memory-bound kernels. --strict makes those an error.
Json onnx_json(const io::ImportedModel& m) {
  Json j = Json::object();
  j["file"] = m.file;
  j["sha256"] = m.sha256;
  j["opset"] = m.opset;
  j["nodes"] = m.nodes;
  j["folded_batchnorm"] = m.folded_batchnorm;
  Json u = Json::object();
  for (const auto& [op, count] : m.unmodelled) u[op] = count;
  j["unmodelled"] = u;
  return j;
}

std::string onnx_text(const io::ImportedModel& m) {
  std::string t = "\nONNX: " + m.file + ", opset " + std::to_string(m.opset) + ", " + std::to_string(m.nodes) +
                  " nodes, sha256 " + m.sha256.substr(0, 16) + "\n";
  if (m.unmodelled.empty()) return t + "unmodelled operators: none\n";
  t += "unmodelled operators (each costed as one memory-bound kernel over its inputs and outputs):";
  for (const auto& [op, count] : m.unmodelled) t += " " + op + " x" + std::to_string(count);
  return t + "\n";
}

void check_strict(const io::ImportedModel& m) {
  if (m.unmodelled.empty()) return;
  std::string ops;
  for (const auto& [op, count] : m.unmodelled) ops += (ops.empty() ? "" : ", ") + op + " x" + std::to_string(count);
  throw InputError({m.file}, "--strict", ops, "only operators trainsim models (docs/models.md lists them)");
}

// The batch to run: a number, or the largest that fits ("auto"). Errors name --batch.
int batch_for(const Args& args, const ModelGraph& g, const GpuSpec& gpu, Precision p, Optimizer o) {
  const std::string s = args.get("batch");
  const int fits = max_batch(g, gpu, p, o);
  if (s == "auto") {
    if (fits == 0) {
      throw InputError(kCommandLine, "--batch", "auto",
                       "a model that fits: not even 1 sample of " + g.name + " fits on " + gpu.name + ": " +
                           describe(training_memory(g, p, o, 1), memory_capacity(gpu)));
    }
    return fits;
  }
  return static_cast<int>(args.get_int("batch", 1, 1 << 20));
}

ModelReport report_for(const ModelGraph& g, const GpuSpec& gpu, const Catalog& catalog, Precision p, Optimizer o,
                       int batch, bool channels_last, const std::optional<Calibration>& cal) {
  ProfileOptions opt;
  opt.channels_last = channels_last;
  const ComputeGeneration& gen = catalog.generation_of(gpu);
  ModelReport r;
  r.graph = &g;
  try {
    r.profile = profile_model(g, gpu, gen, p, batch, o, 1.0, opt);
  } catch (const InputError& e) {
    throw InputError(kCommandLine, e.key() == "batch" ? "--batch" : "--" + e.key(), e.value(), e.expected());
  }
  if (cal) r.calibrated = profile_model(g, gpu, gen, p, batch, o, cal->factor, opt);
  r.max_batch = max_batch(g, gpu, p, o);
  r.gpu_display = gpu.display_name;
  return r;
}

std::optional<Calibration> calibration_from(const Args& args, const ModelGraph& g, const Catalog& catalog, Precision p,
                                            Optimizer o, bool channels_last) {
  if (!args.has("calibrate-ms") && !args.has("calibrate-gpu")) return std::nullopt;
  if (!args.has("calibrate-ms") || !args.has("calibrate-gpu")) {
    throw UsageError("trainsim model: --calibrate-ms and --calibrate-gpu go together");
  }
  Calibration cal;
  cal.measured_s = args.get_double("calibrate-ms", 1e-3, 1e9) / 1000.0;
  cal.gpu = args.get("calibrate-gpu");
  const GpuSpec& gpu = catalog.gpu(cal.gpu, kCommandLine, "--calibrate-gpu");
  if (args.has("calibrate-batch")) {
    cal.batch = static_cast<int>(args.get_int("calibrate-batch", 1, 1 << 20));
  } else if (args.get("batch") != "auto") {
    cal.batch = static_cast<int>(args.get_int("batch", 1, 1 << 20));
  } else {
    throw UsageError("trainsim model: with --batch auto, say the measured run's batch with --calibrate-batch");
  }
  ProfileOptions opt;
  opt.channels_last = channels_last;
  opt.check_memory = false;  // the measurement ran, whatever the memory model says
  const ComputeProfile measured_on =
      profile_model(g, gpu, catalog.generation_of(gpu), p, cal.batch, o, 1.0, opt);
  cal.factor = calibration_factor(cal.measured_s, measured_on.iteration_s());
  return cal;
}

}  // namespace

int cmd_model(int argc, char** argv) {
  Args args("model", "One model of the zoo on one GPU: parameters, GFLOPs per image, activation memory, the largest\n"
                     "batch, predicted forward/backward/optimizer time, images/s and the slowest layers (compute or\n"
                     "memory bound). Roofline per kernel from each GPU's physics in platforms/gpus.yaml (clocks\n"
                     "under the power limit, streaming bandwidth, best matmul fraction; docs/compute-model.md).");
  args.positional("MODEL", "a model of the zoo (below), or an ONNX file (FILE.onnx, docs/models.md)")
      .option("image-px", "PX", "input side (1024) or height,width (1024,768); default 224, DBNet 640")
      .option("batch", "N", "samples per iteration, or 'auto' for the largest that fits", std::string("auto"))
      .option("gpu", "GPU", "a GPU of the catalog, or 'all'", std::string("rtx3090"))
      .option("precision", "P", "fp32, tf32, amp (fp16 mixed), bf16 or fp8", std::string("amp"))
      .option("optimizer", "OPT", "sgd (momentum) or adamw", std::string("sgd"))
      .flag("channels-last", "NHWC tensors (torch.channels_last): no cuDNN layout transposes under fp16/bf16")
      .option("calibrate-ms", "MS", "a measured iteration time, in ms, to calibrate this workload with")
      .option("calibrate-gpu", "GPU", "the GPU that measurement ran on")
      .option("calibrate-batch", "N", "the measured run's batch (default: --batch)")
      .option("top", "N", "how many of the slowest layers to list", std::string("10"))
      .flag("strict", "ONNX: an operator trainsim does not model is an error, not a generic kernel")
      .flag("json", "print JSON")
      .epilog("models: " + join(model_names(), ", ") +
              "\nCalibration: one measured iteration gives c = measured / predicted on that GPU; every kernel time of\n"
              "the workload is multiplied by c on every GPU, and both predictions are shown.\n");
  if (!args.parse(argc, argv, 2)) return 0;
  const Catalog& catalog = io::default_catalog();
  const std::string model = args.get("MODEL");
  std::optional<io::ImportedModel> onnx;
  const ModelGraph g = model_from_args(args, "model", model, "MODEL", onnx);
  if (onnx) {
    if (args.has("strict")) check_strict(*onnx);
    if (const std::string warn = io::folded_warning(*onnx); !warn.empty()) std::cerr << "warning: " << warn << "\n";
  }
  const Precision p = precision_of(args);
  const Optimizer o = optimizer_of(args);
  const bool channels_last = args.has("channels-last");
  const int top = static_cast<int>(args.get_int("top", 1, 10000));
  const std::optional<Calibration> cal = calibration_from(args, g, catalog, p, o, channels_last);

  if (args.get("gpu") == "all") {
    std::vector<ModelReport> reports;
    for (const auto& gpu : catalog.gpus) {
      if (!gpu.supports(matmul_type(p))) continue;
      if (max_batch(g, gpu, p, o) == 0) continue;
      const int batch = args.get("batch") == "auto" ? max_batch(g, gpu, p, o) : static_cast<int>(args.get_int("batch", 1, 1 << 20));
      if (training_memory(g, p, o, batch).total() > memory_capacity(gpu)) continue;
      reports.push_back(report_for(g, gpu, catalog, p, o, batch, channels_last, cal));
    }
    if (args.has("json")) {
      Json out = Json::array();
      for (const auto& r : reports) {
        Json j = render_json(r, cal, top);
        if (onnx) j["onnx"] = onnx_json(*onnx);
        out.push_back(std::move(j));
      }
      std::cout << out.dump() << "\n";
      return 0;
    }
    std::cout << g.name << " at " << g.input_size() << ", " << to_string(p) << ", " << to_string(o) << ", "
              << (channels_last ? "NHWC" : "NCHW") << ", on every catalog GPU that has " << to_string(p)
              << " and fits the batch\n\n"
              << render_gpu_table(reports, cal);
    if (onnx) std::cout << onnx_text(*onnx);
    if (cal) std::cout << "\ncalibrated: x" << fixed(cal->factor, 3) << " from " << fixed(1000 * cal->measured_s, 1) << " ms on " << cal->gpu << "\n";
    return 0;
  }

  const GpuSpec& gpu = catalog.gpu(args.get("gpu"), kCommandLine, "--gpu");
  try {
    require_precision(gpu, p);
  } catch (const InputError& e) {
    throw InputError(kCommandLine, "--precision", e.value(), e.expected());
  }
  const int batch = batch_for(args, g, gpu, p, o);
  const ModelReport r = report_for(g, gpu, catalog, p, o, batch, channels_last, cal);
  if (args.has("json")) {
    Json j = render_json(r, cal, top);
    if (onnx) j["onnx"] = onnx_json(*onnx);
    std::cout << j.dump() << "\n";
  } else {
    std::cout << render_text(r, cal, top);
    if (onnx) std::cout << onnx_text(*onnx);
  }
  return 0;
}

}  // namespace trainsim::cli
