#include "sim/workload/resnet.hpp"

#include <array>
#include <string>

#include "sim/util/error.hpp"

namespace trainsim {

namespace {

struct ResnetConfig {
  int depth;
  bool bottleneck;
  std::array<int, 4> blocks;
};

// torchvision's resnet18/34/50/101 constructors.
constexpr std::array<ResnetConfig, 4> kConfigs{{
    {18, false, {2, 2, 2, 2}},
    {34, false, {3, 4, 6, 3}},
    {50, true, {3, 4, 6, 3}},
    {101, true, {3, 4, 23, 3}},
}};

const ResnetConfig& config(int depth) {
  for (const auto& c : kConfigs) {
    if (c.depth == depth) return c;
  }
  throw RuntimeError("resnet: no configuration for depth " + std::to_string(depth));
}

}  // namespace

Tensor basic_block(GraphBuilder& g, const std::string& name, Tensor x, int planes, int stride) {
  Tensor out = g.conv_bn(name + ".conv1", x, planes, 3, stride, true);
  out = g.conv_bn(name + ".conv2", out, planes, 3, 1, false);
  const bool project = stride != 1 || x.shape.c != planes;
  const Tensor shortcut = project ? g.conv_bn(name + ".downsample", x, planes, 1, stride, false) : x;
  return g.relu(name + ".relu", g.add(name + ".add", out, shortcut));
}

Tensor bottleneck_block(GraphBuilder& g, const std::string& name, Tensor x, int planes, int stride) {
  Tensor out = g.conv_bn(name + ".conv1", x, planes, 1, 1, true);
  out = g.conv_bn(name + ".conv2", out, planes, 3, stride, true);
  out = g.conv_bn(name + ".conv3", out, planes * 4, 1, 1, false);
  const bool project = stride != 1 || x.shape.c != planes * 4;
  const Tensor shortcut = project ? g.conv_bn(name + ".downsample", x, planes * 4, 1, stride, false) : x;
  return g.relu(name + ".relu", g.add(name + ".add", out, shortcut));
}

bool resnet_depth_known(int depth) {
  for (const auto& c : kConfigs) {
    if (c.depth == depth) return true;
  }
  return false;
}

std::vector<Tensor> resnet_backbone(GraphBuilder& g, Tensor image, int depth) {
  const ResnetConfig& cfg = config(depth);
  Tensor x = g.conv_bn("conv1", image, 64, 7, 2, true);
  x = g.maxpool("maxpool", x, 3, 2);
  std::vector<Tensor> features;
  const std::array<int, 4> planes{64, 128, 256, 512};
  for (std::size_t stage = 0; stage < 4; ++stage) {
    for (int b = 0; b < cfg.blocks[stage]; ++b) {
      const std::string name = "layer" + std::to_string(stage + 1) + "." + std::to_string(b);
      const int stride = (b == 0 && stage > 0) ? 2 : 1;
      x = cfg.bottleneck ? bottleneck_block(g, name, x, planes[stage], stride)
                         : basic_block(g, name, x, planes[stage], stride);
    }
    features.push_back(x);
  }
  return features;
}

void classifier_head(GraphBuilder& g, Tensor features, int classes) {
  const Tensor pooled = g.global_avgpool("avgpool", features);
  const Tensor logits = g.linear("fc", pooled, classes, true);
  // log_softmax and nll_loss over the logits, each way.
  g.loss("loss", {logits}, 2, 3, 3);
}

}  // namespace trainsim
