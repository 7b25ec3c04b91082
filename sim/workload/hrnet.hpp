// HRNet (HRNetV1/V2 backbone): a stem to stride 4, a bottleneck stage, then stages 2-4 that keep
// 2, 3 and 4 parallel branches at strides 4, 8, 16, 32 with W, 2W, 4W, 8W channels, fused by
// repeated multi-resolution exchange. The classification head (HRNet-Wxx-C) is the one of the
// official repository. Sources: Wang et al., "Deep High-Resolution Representation Learning for
// Visual Recognition", TPAMI 2020; github.com/HRNet/HRNet-Image-Classification lib/models/cls_hrnet.py
// and experiments/cls_hrnet_w*_sgd_lr5e-2_wd1e-4_bs32_x100.yaml.
#pragma once

#include <vector>

#include "sim/workload/graph_builder.hpp"

namespace trainsim {

// The four branch outputs of stage 4 (strides 4, 8, 16, 32; W, 2W, 4W, 8W channels).
// The input's sides must be multiples of 32 (the fusions add maps of matching sizes).
[[nodiscard]] std::vector<Tensor> hrnet_backbone(GraphBuilder& g, Tensor image, int width);

// Incremental bottlenecks to 128/256/512/1024 channels, strided 3x3 convolutions summing the
// branches down to stride 32, a 1x1 to 2048 channels, pooling and the classifier.
void hrnet_classification_head(GraphBuilder& g, const std::vector<Tensor>& branches, int classes);

}  // namespace trainsim
