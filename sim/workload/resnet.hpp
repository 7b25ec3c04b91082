// ResNet as torchvision builds it (v1.5: a bottleneck strides in its 3x3 convolution), as a
// classifier at any input size or as a backbone giving the maps at strides 4, 8, 16 and 32.
// Source: torchvision/models/resnet.py; He et al., "Deep Residual Learning", CVPR 2016, Table 1.
#pragma once

#include <string>
#include <vector>

#include "sim/workload/graph_builder.hpp"

namespace trainsim {

// BasicBlock: 3x3 (stride) -> BN -> ReLU -> 3x3 -> BN, plus the shortcut (a strided 1x1 + BN
// when the shape changes), then ReLU. HRNet's branches use the same block.
Tensor basic_block(GraphBuilder& g, const std::string& name, Tensor x, int planes, int stride);
// Bottleneck (v1.5): 1x1 -> BN -> ReLU -> 3x3 (stride) -> BN -> ReLU -> 1x1 (4 x planes) -> BN,
// plus the shortcut, then ReLU. HRNet's first stage and classification head use it too.
Tensor bottleneck_block(GraphBuilder& g, const std::string& name, Tensor x, int planes, int stride);

[[nodiscard]] bool resnet_depth_known(int depth);  // 18, 34, 50, 101

// The outputs of layer1..layer4 (C2..C5 of the FPN papers).
[[nodiscard]] std::vector<Tensor> resnet_backbone(GraphBuilder& g, Tensor image, int depth);

// Global average pooling, the fully connected classifier and the cross-entropy loss.
void classifier_head(GraphBuilder& g, Tensor features, int classes);

}  // namespace trainsim
