#include "sim/workload/dbnet.hpp"

#include <string>

#include "sim/util/error.hpp"

namespace trainsim {

namespace {

// One prediction branch: 3x3 conv (no bias) -> BN -> ReLU -> ConvTranspose2d(2, 2) -> BN -> ReLU ->
// ConvTranspose2d(2, 2) to one map -> sigmoid (the deconvolutions keep PyTorch's default bias).
Tensor prediction_branch(GraphBuilder& g, const std::string& name, Tensor fuse) {
  constexpr int c = kDbnetInnerChannels / 4;
  Tensor y = g.conv_bn(name + ".conv", fuse, c, 3, 1, true);
  y = g.relu(name + ".up1.relu", g.batchnorm(name + ".up1.bn", g.deconv(name + ".up1", y, c, 2)));
  return g.sigmoid(name + ".sigmoid", g.deconv(name + ".up2", y, 1, 2));
}

}  // namespace

void dbnet_neck_and_head(GraphBuilder& g, const std::vector<Tensor>& features) {
  if (features.size() != 4) throw RuntimeError("dbnet: the neck needs the backbone maps at strides 4, 8, 16, 32");
  constexpr int inner = kDbnetInnerChannels;
  const Tensor in5 = g.conv("neck.in5", features[3], inner, 1);
  const Tensor in4 = g.conv("neck.in4", features[2], inner, 1);
  const Tensor in3 = g.conv("neck.in3", features[1], inner, 1);
  const Tensor in2 = g.conv("neck.in2", features[0], inner, 1);
  const Tensor out4 = g.add("neck.out4.add", g.upsample("neck.up5", in5, 2), in4);
  const Tensor out3 = g.add("neck.out3.add", g.upsample("neck.up4", out4, 2), in3);
  const Tensor out2 = g.add("neck.out2.add", g.upsample("neck.up3", out3, 2), in2);
  const Tensor p5 = g.upsample("neck.p5.up", g.conv("neck.p5", in5, inner / 4, 3), 8);
  const Tensor p4 = g.upsample("neck.p4.up", g.conv("neck.p4", out4, inner / 4, 3), 4);
  const Tensor p3 = g.upsample("neck.p3.up", g.conv("neck.p3", out3, inner / 4, 3), 2);
  const Tensor p2 = g.conv("neck.p2", out2, inner / 4, 3);
  const Tensor fuse = g.concat("neck.fuse", {p5, p4, p3, p2});

  const Tensor binary = prediction_branch(g, "head.binarize", fuse);
  const Tensor thresh = prediction_branch(g, "head.thresh", fuse);
  // reciprocal(1 + exp(-k (P - T))): sub, mul, exp, add, reciprocal in eager mode. Forward reads
  // and writes 3 + 2 + 2 + 2 + 2 = 11 map-sized tensors; backward about 10; exp and reciprocal
  // keep their outputs.
  const Tensor thresh_binary = g.elementwise("head.step", {binary, thresh}, 5, 11, 10, 2);
  // Balanced BCE with hard-negative mining (a top-k sort over the negatives), masked L1 and dice:
  // about 30 small kernels each way, ~60 passes over a map forward (the sort) and ~40 backward.
  g.loss("loss.db", {binary, thresh, thresh_binary}, 30, 60, 40);
}

Bytes dbnet_sample_bytes(int height, int width) {
  return (3.0 + 4.0) * 4.0 * height * width;
}

}  // namespace trainsim
