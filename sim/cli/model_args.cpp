#include "sim/cli/model_args.hpp"

#include <cstdlib>
#include <vector>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/model_zoo.hpp"

namespace trainsim::cli {

namespace {
const SourceLocation kCommandLine{"command line"};
}  // namespace

std::pair<int, int> parse_image_px(const std::string& text, const std::string& model, const std::string& command) {
  const std::vector<std::string> parts = split(text, ',');
  std::vector<int> sides;
  for (const auto& part : parts) {
    const std::string s = trim(part);
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || parts.size() > 2) {
      throw UsageError("trainsim " + command + ": --image-px '" + text + "': expected a side in px (1024) or height,width (1024,768)");
    }
    if (v < kMinImagePx || v > kMaxImagePx) {
      throw InputError(kCommandLine, "--image-px", s,
                       "an image side from " + std::to_string(kMinImagePx) + " to " + std::to_string(kMaxImagePx) +
                           " px for " + model);
    }
    sides.push_back(static_cast<int>(v));
  }
  return {sides.front(), sides.back()};
}

ModelGraph build_zoo_model(const std::string& model, int h, int w, const std::string& model_key) {
  try {
    return build_model(model, h, w);
  } catch (const InputError& e) {
    // Name the flag the value came from.
    const std::string key = e.key() == "model" ? model_key : "--image-px";
    throw InputError(kCommandLine, key, e.value(), e.expected());
  }
}

ModelGraph model_from_args(const Args& args, const std::string& command, const std::string& model,
                           const std::string& model_key, std::optional<io::ImportedModel>& onnx) {
  if (io::is_onnx_path(model)) {
    if (args.has("image-px")) {
      throw UsageError("trainsim " + command + ": --image-px does not apply to an ONNX file: its input shape is the export's");
    }
    onnx = io::load_onnx_model(model);
    return onnx->graph;
  }
  const std::string default_px = starts_with(model, "dbnet") ? "640" : "224";
  const auto [h, w] = parse_image_px(args.has("image-px") ? args.get("image-px") : default_px, model, command);
  return build_zoo_model(model, h, w, model_key);
}

Precision precision_of(const Args& args) {
  const std::string s = args.get("precision");
  const auto p = parse_precision(s);
  if (!p) throw InputError(kCommandLine, "--precision", s, one_of(s, precision_names()));
  return *p;
}

Optimizer optimizer_of(const Args& args) {
  const std::string s = args.get("optimizer");
  Optimizer o{};
  if (!parse_optimizer(s, o)) throw InputError(kCommandLine, "--optimizer", s, one_of(s, optimizer_names()));
  return o;
}

}  // namespace trainsim::cli
