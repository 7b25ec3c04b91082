#include "sim/workload/hrnet.hpp"

#include <array>
#include <string>

#include "sim/workload/resnet.hpp"

namespace trainsim {

namespace {

// Stages 2-4 of every HRNet-W* configuration: modules per stage; four basic blocks per branch.
constexpr std::array<int, 3> kModules{1, 4, 3};
constexpr int kBlocksPerBranch = 4;

std::string idx(const std::string& prefix, std::size_t i) { return prefix + std::to_string(i); }

// Fuse layer i <- j of one module (HighResolutionModule._make_fuse_layers):
//   j > i: 1x1 conv to branch i's channels, BN, nearest up-sampling by 2^(j-i);
//   j < i: (i-j) strided 3x3 convs; the intermediate ones keep branch j's channels and end in
//          an out-of-place ReLU, the last one maps to branch i's channels without ReLU.
Tensor fuse_path(GraphBuilder& g, const std::string& name, Tensor x, std::size_t i, std::size_t j, int channels_i) {
  if (j > i) {
    const Tensor y = g.conv_bn(name, x, channels_i, 1, 1, false);
    return g.upsample(name + ".up", y, 1 << (j - i));
  }
  Tensor y = x;
  for (std::size_t k = 0; k < i - j; ++k) {
    const bool last = k == i - j - 1;
    const std::string step = name + "." + std::to_string(k);
    y = g.conv_bn(step, y, last ? channels_i : x.shape.c, 3, 2, false);
    if (!last) y = g.relu(step + ".relu", y, false);
  }
  return y;
}

std::vector<Tensor> hr_module(GraphBuilder& g, const std::string& name, std::vector<Tensor> x) {
  for (std::size_t b = 0; b < x.size(); ++b) {
    for (int k = 0; k < kBlocksPerBranch; ++k) {
      x[b] = basic_block(g, name + ".branch" + std::to_string(b) + "." + std::to_string(k), x[b], x[b].shape.c, 1);
    }
  }
  if (x.size() == 1) return x;
  std::vector<Tensor> fused;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::string fname = name + ".fuse" + std::to_string(i);
    Tensor y = i == 0 ? x[0] : fuse_path(g, idx(fname + ".from", 0), x[0], i, 0, x[i].shape.c);
    for (std::size_t j = 1; j < x.size(); ++j) {
      const Tensor term = i == j ? x[j] : fuse_path(g, idx(fname + ".from", j), x[j], i, j, x[i].shape.c);
      y = g.add(idx(fname + ".add", j), y, term);
    }
    fused.push_back(g.relu(fname + ".relu", y, false));  // nn.ReLU(False): a new tensor
  }
  return fused;
}

}  // namespace

std::vector<Tensor> hrnet_backbone(GraphBuilder& g, Tensor image, int width) {
  Tensor x = g.conv_bn("stem.conv1", image, 64, 3, 2, true);
  x = g.conv_bn("stem.conv2", x, 64, 3, 2, true);
  for (int b = 0; b < 4; ++b) x = bottleneck_block(g, "layer1." + std::to_string(b), x, 64, 1);

  // Transition 1: branch 0 by a 3x3 to W channels, branch 1 by a strided 3x3 to 2W.
  std::vector<Tensor> branches{g.conv_bn("transition1.0", x, width, 3, 1, true),
                               g.conv_bn("transition1.1", x, 2 * width, 3, 2, true)};
  for (std::size_t stage = 0; stage < kModules.size(); ++stage) {
    const std::string sname = "stage" + std::to_string(stage + 2);
    if (stage > 0) {  // a new, lower branch from the lowest one: strided 3x3 doubling the channels
      const Tensor lowest = branches.back();
      branches.push_back(g.conv_bn("transition" + std::to_string(stage + 1) + "." + std::to_string(branches.size()),
                                   lowest, 2 * lowest.shape.c, 3, 2, true));
    }
    for (int m = 0; m < kModules[stage]; ++m) branches = hr_module(g, sname + "." + std::to_string(m), branches);
  }
  return branches;
}

void hrnet_classification_head(GraphBuilder& g, const std::vector<Tensor>& branches, int classes) {
  constexpr std::array<int, 4> head_planes{32, 64, 128, 256};
  Tensor y = bottleneck_block(g, "incre0", branches[0], head_planes[0], 1);
  for (std::size_t i = 1; i < branches.size(); ++i) {
    const Tensor incre = bottleneck_block(g, idx("incre", i), branches[i], head_planes[i], 1);
    Tensor down = g.batchnorm(idx("downsamp", i - 1) + ".bn",
                              g.conv(idx("downsamp", i - 1), y, head_planes[i] * 4, 3, 2, true));
    down = g.relu(idx("downsamp", i - 1) + ".relu", down);
    y = g.add(idx("head.add", i), incre, down);
  }
  y = g.relu("final.relu", g.batchnorm("final.bn", g.conv("final", y, 2048, 1, 1, true)));
  classifier_head(g, y, classes);
}

}  // namespace trainsim
