#include "sim/validation/models.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "sim/import/onnx_model.hpp"
#include "sim/util/stats.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::validation {

namespace {

// ONNX files already read, by path: each is read once however many rows name it.
using OnnxCache = std::map<std::string, ModelGraph>;

// The row's model graph, or why it cannot be run (its ONNX file is missing or was exported at
// another input size). A file that is there but is not a readable ONNX model is an InputError.
bool model_graph(const io::ModelThroughputRow& row, const std::string& onnx_dir, OnnxCache& cache, ModelGraph& g,
                 ModelRow& out) {
  if (!row.onnx()) {
    g = build_model(row.model, row.image_px, row.image_px);
    return true;
  }
  if (onnx_dir.empty()) {
    out.not_run = "no ONNX folder given (--onnx DIR, where tests/cli/onnx_exports.py wrote NAME.onnx)";
    return false;
  }
  const std::string path = (std::filesystem::path(onnx_dir) / row.model).string();
  if (!std::filesystem::is_regular_file(path)) {
    out.not_run = "no file " + path;
    return false;
  }
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, io::load_onnx_model(path).graph).first;
  const ModelGraph& m = it->second;
  // image_px is the image side, or a token model's sequence length
  if (m.tokens > 0 ? m.tokens != row.image_px : m.height != row.image_px || m.width != row.image_px) {
    out.not_run = path + " takes " + m.input_size() + ", the row ran at " + std::to_string(row.image_px);
    return false;
  }
  out.model_file = path;
  g = m;
  return true;
}

}  // namespace

ModelValidation validate_models(const std::string& reference, const std::string& onnx_dir, const Catalog& catalog) {
  ModelValidation v;
  OnnxCache onnx;
  for (const auto& row : io::load_model_throughput(reference, catalog)) {
    ModelRow r;
    r.row = row;
    ModelGraph g;
    if (model_graph(row, onnx_dir, onnx, g, r)) {
      const GpuSpec& gpu = catalog.gpu(row.gpu, row.where, "gpu");
      ProfileOptions opt;
      opt.channels_last = row.channels_last;
      opt.check_memory = false;  // a batch the source ran but the model says does not fit is reported, not fatal
      try {
        r.profile = profile_model(g, gpu, catalog.generation_of(gpu), row.precision, row.batch, row.optimizer, 1.0, opt);
      } catch (const InputError& e) {  // e.g. tf32 on a V100: the row's fault, so name the row
        throw InputError(row.where, e.key(), e.value(), e.expected());
      }
      r.run = true;
      r.params = static_cast<long long>(std::llround(g.params()));
      r.predicted = r.profile.images_per_s();
      r.error = (r.predicted - row.images_per_s) / row.images_per_s;
      r.fits = r.profile.memory.total() <= r.profile.memory_capacity;
    }
    v.rows.push_back(std::move(r));
  }
  std::vector<double> abs_errors;
  std::vector<LogoInput> lomo;
  for (const auto& r : v.rows) {
    if (!r.run) continue;
    abs_errors.push_back(std::fabs(r.error));
    lomo.push_back({r.row.model, r.predicted, r.row.images_per_s});  // keyed by model: leave one model out
  }
  v.run_rows = static_cast<int>(abs_errors.size());
  v.median_abs_error = median(abs_errors);
  v.worst_abs_error = abs_errors.empty() ? 0 : *std::max_element(abs_errors.begin(), abs_errors.end());
  v.lomo = leave_one_gpu_out(lomo);
  return v;
}

}  // namespace trainsim::validation
