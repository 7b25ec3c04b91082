// DBNet (Liao et al., "Real-time Scene Text Detection with Differentiable Binarization", AAAI
// 2020) as github.com/MhLiao/DB decoders/seg_detector.py builds it for training (adaptive=True):
//   neck  FPN: 1x1 lateral convs to 256 channels, top-down nearest x2 up-sampling and sums,
//         3x3 convs to 64 channels up-sampled to stride 4 and concatenated (256 channels);
//   head  probability and threshold branches, each 3x3 conv -> BN -> ReLU -> deconv x2 -> BN ->
//         ReLU -> deconv x2 to one channel -> sigmoid, at the input resolution;
//   differentiable binarization 1 / (1 + exp(-k (P - T))) and the DB loss (balanced BCE with
//   hard-negative mining, masked L1 on the threshold map, dice on the binary map).
#pragma once

#include <vector>

#include "sim/workload/graph_builder.hpp"

namespace trainsim {

inline constexpr int kDbnetInnerChannels = 256;

// `features`: the backbone's maps at strides 4, 8, 16, 32.
void dbnet_neck_and_head(GraphBuilder& g, const std::vector<Tensor>& features);

// Host-to-device bytes of one training sample: the image and the four maps DB trains against
// (gt, mask, thresh_map, thresh_mask), all fp32 as the data loader produces them.
[[nodiscard]] Bytes dbnet_sample_bytes(int height, int width);

}  // namespace trainsim
