// The model zoo: classifiers (ResNet, HRNet-W*-C) and DBNet text detectors on ResNet and HRNet
// backbones, each built as a layer graph for one input resolution.
#pragma once

#include <string>
#include <vector>

#include "sim/workload/model_graph.hpp"

namespace trainsim {

// Builds `name` for height x width inputs. Names are case-insensitive and '_' reads as '-'.
// Throws InputError naming the nearest models for an unknown name, and for a size out of range
// (16 to 16384 px; multiples of 32 for HRNet and DBNet, whose maps at strides 4 to 32 must add up).
[[nodiscard]] ModelGraph build_model(const std::string& name, int height_px, int width_px);

// The canonical names, in the order `trainsim model --help` lists them.
[[nodiscard]] std::vector<std::string> model_names();

// The side a model needs its input to be a multiple of (1 when any size works).
[[nodiscard]] int required_multiple(const std::string& name);

inline constexpr int kMinImagePx = 16;
inline constexpr int kMaxImagePx = 16384;

}  // namespace trainsim
