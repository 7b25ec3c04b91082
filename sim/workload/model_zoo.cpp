#include "sim/workload/model_zoo.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "sim/util/error.hpp"
#include "sim/util/strings.hpp"
#include "sim/workload/dbnet.hpp"
#include "sim/workload/hrnet.hpp"
#include "sim/workload/resnet.hpp"

namespace trainsim {

namespace {

constexpr int kImageNetClasses = 1000;

// Bytes of an ImageNet sample: the fp32 image the data loader normalises and an int64 label.
Bytes classifier_sample_bytes(int h, int w) { return 3.0 * 4.0 * h * w + 8.0; }

struct ZooEntry {
  std::string name;
  int multiple;  // input sides must be multiples of this
  std::function<void(GraphBuilder&)> build;
  std::function<Bytes(int, int)> sample_bytes;
};

const std::vector<ZooEntry>& zoo() {
  static const std::vector<ZooEntry> entries = [] {
    std::vector<ZooEntry> z;
    for (int depth : {18, 34, 50, 101}) {
      z.push_back({"resnet" + std::to_string(depth), 1,
                   [depth](GraphBuilder& g) { classifier_head(g, resnet_backbone(g, g.image(), depth).back(), kImageNetClasses); },
                   classifier_sample_bytes});
    }
    for (int width : {18, 32, 44}) {
      z.push_back({"hrnet-w" + std::to_string(width), 32,
                   [width](GraphBuilder& g) {
                     hrnet_classification_head(g, hrnet_backbone(g, g.image(), width), kImageNetClasses);
                   },
                   classifier_sample_bytes});
    }
    for (int depth : {18, 50}) {
      z.push_back({"dbnet-resnet" + std::to_string(depth), 32,
                   [depth](GraphBuilder& g) { dbnet_neck_and_head(g, resnet_backbone(g, g.image(), depth)); },
                   dbnet_sample_bytes});
    }
    for (int width : {18, 32, 44}) {
      z.push_back({"dbnet-hrnet-w" + std::to_string(width), 32,
                   [width](GraphBuilder& g) { dbnet_neck_and_head(g, hrnet_backbone(g, g.image(), width)); },
                   dbnet_sample_bytes});
    }
    return z;
  }();
  return entries;
}

std::string canonical(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

const ZooEntry& entry(const std::string& name) {
  const std::string key = canonical(name);
  for (const auto& e : zoo()) {
    if (e.name == key) return e;
  }
  throw InputError({}, "model", name, "a model of the zoo, " + one_of(key, model_names()));
}

void check_side(const ZooEntry& e, const char* key, int px) {
  if (px < kMinImagePx || px > kMaxImagePx) {
    throw InputError({}, key, std::to_string(px),
                     "an image side from " + std::to_string(kMinImagePx) + " to " + std::to_string(kMaxImagePx) + " px");
  }
  if (px % e.multiple != 0) {
    const int below = px / e.multiple * e.multiple;
    throw InputError({}, key, std::to_string(px),
                     "a multiple of " + std::to_string(e.multiple) + " px for " + e.name +
                         " (its maps at strides 4 to 32 are summed), e.g. " + std::to_string(std::max(below, e.multiple)) +
                         " or " + std::to_string(below + e.multiple));
  }
}

}  // namespace

ModelGraph build_model(const std::string& name, int height_px, int width_px) {
  const ZooEntry& e = entry(name);
  check_side(e, "image_px.height", height_px);
  check_side(e, "image_px.width", width_px);
  GraphBuilder g(e.name, height_px, width_px);
  e.build(g);
  return std::move(g).finish(e.sample_bytes(height_px, width_px));
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& e : zoo()) names.push_back(e.name);
  return names;
}

int required_multiple(const std::string& name) { return entry(name).multiple; }

}  // namespace trainsim
