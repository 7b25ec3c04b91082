#include "sim/input/model_reference.hpp"

#include <filesystem>

#include "sim/input/csv.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::io {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A zoo model (canonical name, as `trainsim model --help` lists them) whose input side the zoo
// can build, or NAME.onnx: a bare file name, looked up at validation time.
void check_model(const CsvTable& t, const CsvRecord& r, const std::string& model, int image_px) {
  const SourceLocation where = t.where(r, "model");
  if (ends_with(model, ".onnx")) {
    if (model.size() == 5 || model.find('/') != std::string::npos || model.find('\\') != std::string::npos) {
      throw InputError(where, "model", model, "a file name NAME.onnx without a folder (validate --onnx DIR names the folder)");
    }
    return;
  }
  int multiple = 1;
  try {
    multiple = required_multiple(model);
  } catch (const InputError& e) {
    throw InputError(where, "model", model, e.expected() + ", or NAME.onnx");
  }
  bool canonical = false;
  for (const auto& n : model_names()) canonical = canonical || n == model;
  if (!canonical) throw InputError(where, "model", model, "the zoo's own spelling, " + one_of(model, model_names()));
  if (image_px % multiple != 0) {
    throw InputError(t.where(r, "image_px"), "image_px", std::to_string(image_px),
                     "a multiple of " + std::to_string(multiple) + " px for " + model);
  }
}

}  // namespace

bool ModelThroughputRow::onnx() const { return ends_with(model, ".onnx"); }

// The rows of a parsed table (below).
static std::vector<ModelThroughputRow> model_throughput_rows(const CsvTable& t, const Catalog& catalog);

std::vector<ModelThroughputRow> load_model_throughput(const std::string& path, const Catalog& catalog) {
  const std::string file =
      std::filesystem::is_directory(path) ? (std::filesystem::path(path) / kModelThroughputFile).string() : path;
  return model_throughput_rows(CsvTable::load(file), catalog);
}

std::vector<ModelThroughputRow> parse_model_throughput(const std::string& text, const std::string& file,
                                                       const Catalog& catalog) {
  return model_throughput_rows(CsvTable::parse(text, file), catalog);
}

static std::vector<ModelThroughputRow> model_throughput_rows(const CsvTable& t, const Catalog& catalog) {
  std::vector<ModelThroughputRow> rows;
  for (const CsvRecord& r : t.records()) {
    ModelThroughputRow row;
    row.where = t.where(r, "model");
    row.source = t.get(r, "source");
    if (row.source.empty()) throw InputError(t.where(r, "source"), "source", "", "the name of the row's source");
    row.model = t.get(r, "model");
    row.published_model = t.get(r, "published_model");
    row.gpu = catalog.gpu(t.get(r, "gpu"), t.where(r, "gpu"), "gpu").name;
    const std::string& p = t.get(r, "precision");
    const auto precision = parse_precision(p);
    if (!precision) throw InputError(t.where(r, "precision"), "precision", p, one_of(p, precision_names()));
    row.precision = *precision;
    const std::string& format = t.get(r, "memory_format");
    if (format != "nchw" && format != "nhwc") throw InputError(t.where(r, "memory_format"), "memory_format", format, "nchw or nhwc");
    row.channels_last = format == "nhwc";
    const std::string& opt = t.get(r, "optimizer");
    if (!parse_optimizer(opt, row.optimizer)) throw InputError(t.where(r, "optimizer"), "optimizer", opt, one_of(opt, optimizer_names()));
    row.batch = static_cast<int>(t.get_int(r, "batch", 1, 1 << 20));
    row.image_px = static_cast<int>(t.get_int(r, "image_px", kMinImagePx, kMaxImagePx));
    row.data = t.get(r, "data");
    if (row.data != "synthetic" && row.data != "real") throw InputError(t.where(r, "data"), "data", row.data, "synthetic or real");
    row.images_per_s = t.get_double(r, "images_per_s", 1e-6, 1e9);
    check_model(t, r, row.model, row.image_px);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace trainsim::io
