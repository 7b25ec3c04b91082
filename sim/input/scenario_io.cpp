#include "sim/input/scenario_io.hpp"

#include <filesystem>
#include <sstream>

#include "sim/engine/coll_types.hpp"
#include "sim/input/dataset_io.hpp"
#include "sim/import/kineto_reader.hpp"
#include "sim/input/node_io.hpp"
#include "sim/import/nvidia_smi.hpp"
#include "sim/import/onnx_model.hpp"
#include "sim/util/strings.hpp"

namespace trainsim::io {

namespace {

// A path as written, or beside the scenario file when it is relative and not found as written.
std::string resolve_beside(const std::string& path, const std::string& scenario_file) {
  namespace fs = std::filesystem;
  if (fs::path(path).is_absolute() || fs::exists(path) || scenario_file.empty()) return path;
  const fs::path beside = fs::path(scenario_file).parent_path() / path;
  return fs::exists(beside) ? beside.string() : path;
}

std::shared_ptr<const KernelTrace> load_profile_trace(const std::string& path, const SourceLocation& where) {
  if (!std::filesystem::is_regular_file(path)) {
    throw InputError(where, "workload.profile", path, "a profiler trace file (.json, .json.gz or .tar.gz)");
  }
  return std::make_shared<const KernelTrace>(read_kineto_trace(path));
}

void parse_image_px(const YNode& n, WorkloadSpec& w) {
  const std::string expected = "an image size in pixels, 32 to 16384, or [height, width]";
  if (n.is_seq()) {
    if (n.size() != 2) throw n.error(expected);
    w.height_px = static_cast<int>(n.at(0).as_int(32, 16384, expected));
    w.width_px = static_cast<int>(n.at(1).as_int(32, 16384, expected));
  } else {
    w.height_px = w.width_px = static_cast<int>(n.as_int(32, 16384, expected));
  }
}

DatasetSpec preset_dataset(const YNode& n) {
  const auto& presets = dataset_presets();
  std::vector<std::string> names;
  for (const auto& [name, d] : presets) names.push_back(name);
  return presets.at(n.as_enum(names));
}

// A named dataset of platforms/datasets.yaml, or a map (`like: NAME` starts from a named one).
DatasetSpec parse_dataset(const YNode& n) {
  if (n.is_scalar()) return preset_dataset(n);
  n.expect_map("a dataset name (platforms/datasets.yaml) or a map: images, mean_megapixels, mean_bytes, ...");
  n.allow_only({"like", "images", "mean_megapixels", "mean_bytes", "mean_text_instances", "synthetic"});
  DatasetSpec d;
  if (const YNode like = n.get("like"); like.defined()) {
    d = preset_dataset(like);
    if (n.get("images").defined()) d.images = n.get("images").as_int(1, 10'000'000'000LL, "1 to 10^10 images");
  } else {
    d.images = n.require("images", "a number of images").as_int(1, 10'000'000'000LL, "1 to 10^10 images");
  }
  if (n.get("synthetic").defined()) d.synthetic = n.get("synthetic").as_bool();
  if (n.get("mean_megapixels").defined()) {
    d.mean_megapixels = n.get("mean_megapixels").as_double(0.001, 1000, "megapixels per image, 0.001 to 1000");
  }
  if (n.get("mean_bytes").defined()) {
    d.mean_bytes = n.get("mean_bytes").as_double(1, 1e10, "bytes per stored image, 1 to 10^10");
  }
  if (n.get("mean_text_instances").defined()) {
    d.mean_text_instances = n.get("mean_text_instances").as_double(0, 1e5, "text instances per image, 0 to 10^5");
  }
  return d;
}

DataloaderSpec parse_dataloader(const YNode& n) {
  n.expect_map("a map: workers_per_gpu, prefetch_factor");
  n.allow_only({"workers_per_gpu", "prefetch_factor"});
  DataloaderSpec d;
  if (n.get("workers_per_gpu").defined()) {
    d.workers_per_gpu = static_cast<int>(n.get("workers_per_gpu").as_int(1, 256, "1 to 256 workers per GPU"));
  }
  if (n.get("prefetch_factor").defined()) {
    d.prefetch_factor = static_cast<int>(n.get("prefetch_factor").as_int(1, 64, "1 to 64 batches per worker"));
  }
  return d;
}

DdpSpec parse_ddp(const YNode& n) {
  n.expect_map("a map: bucket_mb, first_bucket_mb, overlap, algorithm, overlap_slowdown");
  n.allow_only({"bucket_mb", "first_bucket_mb", "overlap", "algorithm", "overlap_slowdown"});
  DdpSpec d;
  if (n.get("bucket_mb").defined()) d.bucket_mb = n.get("bucket_mb").as_double(0.001, 1e5, "a bucket size in MB > 0");
  if (n.get("first_bucket_mb").defined()) {
    d.first_bucket_mb = n.get("first_bucket_mb").as_double(0.001, 1e5, "a bucket size in MB > 0");
  }
  if (n.get("overlap").defined()) d.overlap = n.get("overlap").as_bool();
  if (n.get("algorithm").defined()) d.algorithm = n.get("algorithm").as_enum(algorithm_names());
  if (n.get("overlap_slowdown").defined()) {
    d.overlap_slowdown = n.get("overlap_slowdown").as_double(0, 10, "a slowdown factor from 0 to 10");
  }
  return d;
}

WorkloadSpec parse_workload(const YNode& n, const std::string& scenario_file) {
  n.expect_map("a map with model, image_px, precision, batch_per_gpu, optimizer, dataset, ...");
  n.allow_only({"model", "profile", "source_gpu", "image_px", "precision", "batch_per_gpu", "optimizer", "dataset", "dataloader", "ddp",
                "validation", "checkpoint", "calibration", "memory_format", "input_dtype"});
  WorkloadSpec w;
  if (const YNode prof = n.get("profile"); prof.defined()) {
    if (n.get("model").defined()) throw n.get("model").error("either model or profile, not both");
    w.profile = prof.as_string();
    w.trace = load_profile_trace(resolve_beside(w.profile, scenario_file), prof.where());
    w.model = w.trace->file.substr(w.trace->file.find_last_of('/') + 1);
    if (n.get("source_gpu").defined()) w.profile_source_gpu = n.get("source_gpu").as_string();
    if (!n.get("batch_per_gpu").defined() || n.get("batch_per_gpu").raw().Scalar() == "auto") {
      throw prof.error("a profile with batch_per_gpu: the batch the trace was recorded with (auto needs a model)");
    }
    if (n.get("image_px").defined()) parse_image_px(n.get("image_px"), w);
  } else {
    const YNode model = n.require("model", "a model of the zoo (trainsim model --help lists them), or a FILE.onnx");
    w.model = model.as_string();
    if (is_onnx_path(w.model)) {
      // Relative to the scenario file; the graph fixes the input size.
      std::filesystem::path path(w.model);
      if (path.is_relative() && !n.file().empty() && n.file() != "<stdin>") {
        path = std::filesystem::path(n.file()).parent_path() / path;
      }
      w.model = std::filesystem::absolute(path).lexically_normal().string();  // children read it from stdin
      ImportedModel m = [&] {
        try {
          return load_onnx_model(w.model);
        } catch (const InputError& e) {
          if (!e.where().file.empty() && e.where().file != w.model) throw;
          throw InputError(model.where(), "workload.model", w.model,
                           e.expected() + (e.key().empty() ? "" : " (" + e.key() + (e.value().empty() ? "" : ": " + e.value()) + ")"));
        }
      }();
      w.height_px = m.graph.height;
      w.width_px = m.graph.width;
      if (n.get("image_px").defined() && m.graph.tokens > 0) {
        throw n.get("image_px").error("no image_px: " + w.model + " is a token model (" + m.graph.input_size() +
                                      ", fixed by the export)");
      }
      if (n.get("image_px").defined()) {
        WorkloadSpec asked;
        parse_image_px(n.get("image_px"), asked);
        if (asked.height_px != w.height_px || asked.width_px != w.width_px) {
          throw n.get("image_px").error("the ONNX model's input size, " + std::to_string(w.height_px) + " x " +
                                        std::to_string(w.width_px) + " (or no image_px): the export fixes it");
        }
      }
      w.model_sha256 = m.sha256;
      w.graph = std::make_shared<const ModelGraph>(std::move(m.graph));
    } else if (n.get("image_px").defined()) {
      parse_image_px(n.get("image_px"), w);
    }
  }
  if (n.get("precision").defined()) w.precision = *parse_precision(n.get("precision").as_enum(precision_names()));
  if (const YNode b = n.get("batch_per_gpu"); b.defined()) {
    if (b.is_scalar() && b.raw().Scalar() == "auto") {
      w.batch_per_gpu = 0;
    } else {
      w.batch_per_gpu = static_cast<int>(b.as_int(1, 1'000'000, "a batch size from 1, or auto"));
    }
  }
  if (n.get("optimizer").defined()) {
    w.optimizer = n.get("optimizer").as_enum({"sgd", "adamw"}) == "sgd" ? Optimizer::sgd : Optimizer::adamw;
  }
  w.dataset = parse_dataset(n.require("dataset", "a dataset: {images: N, ...}"));
  if (n.get("dataloader").defined()) w.dataloader = parse_dataloader(n.get("dataloader"));
  if (n.get("ddp").defined()) w.ddp = parse_ddp(n.get("ddp"));
  if (const YNode v = n.get("validation"); v.defined()) {
    v.expect_map("a map: images, every_epochs, postprocess");
    v.allow_only({"images", "every_epochs", "postprocess"});
    ValidationSpec vs;
    vs.images = v.require("images", "a number of images").as_int(1, 10'000'000'000LL, "1 to 10^10 images");
    if (v.get("every_epochs").defined()) vs.every_epochs = static_cast<int>(v.get("every_epochs").as_int(1, 100000, "1 or more"));
    if (v.get("postprocess").defined()) vs.db_postprocess = v.get("postprocess").as_enum({"none", "db"}) == "db";
    w.validation = vs;
  }
  if (const YNode c = n.get("checkpoint"); c.defined()) {
    c.expect_map("a map: every_epochs");
    c.allow_only({"every_epochs"});
    w.checkpoint.enabled = true;
    if (c.get("every_epochs").defined()) {
      w.checkpoint.every_epochs = static_cast<int>(c.get("every_epochs").as_int(1, 100000, "1 or more"));
    }
  }
  if (n.get("input_dtype").defined()) w.uint8_input = n.get("input_dtype").as_enum({"float32", "uint8"}) == "uint8";
  if (n.get("memory_format").defined()) w.channels_last = n.get("memory_format").as_enum({"nchw", "nhwc"}) == "nhwc";
  if (n.get("calibration").defined()) {
    w.calibration = n.get("calibration").as_double(0.01, 100, "a multiplier on kernel times, 0.01 to 100");
  }
  return w;
}

}  // namespace

Scenario parse_scenario(const YNode& root, const Catalog& catalog) {
  root.expect_map("a scenario: a map with platform, workload, run");
  root.allow_only({"seed", "platform", "workload", "run", "jitter", "name", "description"});
  Scenario s;
  s.file = root.file();
  if (root.get("seed").defined()) s.seed = root.get("seed").as_int(0, 9'000'000'000'000'000'000LL, "a seed >= 0");
  const YNode p = root.require("platform", "a node preset, a node file, or an inline node");
  if (p.is_scalar()) {
    s.platform_ref = p.as_string();
    s.platform = load_node(s.platform_ref, catalog, p.where(), "platform");
  } else {
    s.platform_ref = "inline";
    s.platform = parse_node(p, catalog, "inline");
  }
  const YNode wl = root.require("workload", "a workload map");
  s.workload = parse_workload(wl, s.file);
  for (const char* key : {"model", "profile", "image_px", "precision", "batch_per_gpu", "optimizer", "dataset", "validation"}) {
    if (wl.get(key).defined()) s.locations[std::string("workload.") + key] = wl.get(key).where();
  }
  s.locations["workload"] = wl.where();
  s.locations["platform"] = p.where();
  const YNode run = root.require("run", "{epochs: N} or {iterations: N}");
  run.expect_map("{epochs: N} or {iterations: N}");
  run.allow_only({"epochs", "iterations"});
  if (run.get("epochs").defined()) s.run.epochs = static_cast<int>(run.get("epochs").as_int(1, 100000, "1 to 100000 epochs"));
  if (run.get("iterations").defined()) {
    s.run.iterations = run.get("iterations").as_int(1, 1'000'000'000LL, "1 to 10^9 iterations");
  }
  if (s.run.epochs.has_value() == s.run.iterations.has_value()) {
    throw run.error("exactly one of epochs or iterations");
  }
  if (const YNode j = root.get("jitter"); j.defined()) {
    j.expect_map("a map: compute_cv, loader_cv");
    j.allow_only({"compute_cv", "loader_cv"});
    if (j.get("compute_cv").defined()) s.jitter.compute_cv = j.get("compute_cv").as_double(0, 2, "a coefficient of variation, 0 to 2");
    if (j.get("loader_cv").defined()) s.jitter.loader_cv = j.get("loader_cv").as_double(0, 2, "a coefficient of variation, 0 to 2");
  }
  return s;
}

Scenario parse_scenario_text(const std::string& text, const std::string& file, const Catalog& catalog) {
  Scenario s = parse_scenario(YNode::parse(text, file), catalog);
  s.text = text;
  return s;
}

Scenario load_scenario(const std::string& path, const Catalog& catalog) {
  return parse_scenario_text(read_text_file(path, "a scenario file"), path, catalog);
}

std::string scenario_to_yaml(const Scenario& s) {
  const WorkloadSpec& w = s.workload;
  std::ostringstream y;
  y << "# resolved by trainsim: every default filled in, the platform in full form\n";
  y << "seed: " << s.seed << "\n";
  y << "platform:\n";
  std::istringstream node(node_to_yaml(s.platform));
  std::string line;
  while (std::getline(node, line)) {
    if (starts_with(line, "#")) continue;
    y << "  " << line << "\n";
  }
  y << "workload:\n"
    << (w.profile.empty() ? "  model: " + w.model + (w.model_sha256.empty() ? "" : "  # sha256 " + w.model_sha256)
                          : "  profile: " + w.trace->file) << "\n"
    << (w.profile_source_gpu.empty() ? "" : "  source_gpu: " + w.profile_source_gpu + "\n")
    << (w.graph && w.graph->tokens > 0 ? std::string()  // a token model: the graph fixes its size, no image
                                       : "  image_px: [" + std::to_string(w.height_px) + ", " + std::to_string(w.width_px) + "]\n")
    << "  precision: " << to_string(w.precision) << "\n"
    << "  batch_per_gpu: " << (w.batch_per_gpu > 0 ? std::to_string(w.batch_per_gpu) : std::string("auto")) << "\n"
    << "  optimizer: " << to_string(w.optimizer) << "\n"
    << "  calibration: " << format_double(w.calibration) << "\n"
    << "  memory_format: " << (w.channels_last ? "nhwc" : "nchw") << "\n"
    << "  input_dtype: " << (w.uint8_input ? "uint8" : "float32") << "\n"
    << "  dataset: {images: " << w.dataset.images << ", synthetic: " << (w.dataset.synthetic ? "true" : "false")
    << ", mean_megapixels: " << format_double(w.dataset.mean_megapixels)
    << ", mean_bytes: " << format_double(w.dataset.mean_bytes)
    << ", mean_text_instances: " << format_double(w.dataset.mean_text_instances) << "}\n"
    << "  dataloader: {workers_per_gpu: " << w.dataloader.workers_per_gpu
    << ", prefetch_factor: " << w.dataloader.prefetch_factor << "}\n"
    << "  ddp: {bucket_mb: " << format_double(w.ddp.bucket_mb) << ", first_bucket_mb: " << format_double(w.ddp.first_bucket_mb)
    << ", overlap: " << (w.ddp.overlap ? "true" : "false") << ", algorithm: " << w.ddp.algorithm;
  if (w.ddp.overlap_slowdown) y << ", overlap_slowdown: " << format_double(*w.ddp.overlap_slowdown);
  y << "}\n";
  if (w.validation) {
    y << "  validation: {images: " << w.validation->images << ", every_epochs: " << w.validation->every_epochs
      << ", postprocess: " << (w.validation->db_postprocess ? "db" : "none") << "}\n";
  }
  if (w.checkpoint.enabled) y << "  checkpoint: {every_epochs: " << w.checkpoint.every_epochs << "}\n";
  y << "run: {";
  if (s.run.epochs) y << "epochs: " << *s.run.epochs;
  if (s.run.iterations) y << "iterations: " << *s.run.iterations;
  y << "}\n";
  y << "jitter: {compute_cv: " << format_double(s.jitter.compute_cv) << ", loader_cv: " << format_double(s.jitter.loader_cv)
    << "}\n";
  return y.str();
}

}  // namespace trainsim::io
