// Layer formulas and the graph builder's bookkeeping, worked by hand.
#include <catch2/catch.hpp>

#include "sim/workload/graph_builder.hpp"
#include "sim/workload/layer_kernels.hpp"

using namespace trainsim;

TEST_CASE("conv and deconv multiply-adds and parameters follow from shapes") {
  GraphBuilder g("t", 56, 56);
  const Tensor x = g.conv("c0", g.image(), 64, 1);  // 3 -> 64, 1x1
  // 3x3, stride 2, 64 -> 128 on 56 x 56: out (56 + 2 - 3) / 2 + 1 = 28.
  const Tensor y = g.conv("c1", x, 128, 3, 2);
  CHECK(y.shape.h == 28);
  const Tensor z = g.deconv("d", y, 64, 2);  // 128 -> 64, x2: 56 x 56, with bias
  const ModelGraph m = std::move(g).finish(0);
  const Layer& c1 = m.layers[1];
  // MACs = Cout Hout Wout Cin k^2 = 128 x 28 x 28 x 64 x 9 = 57,802,752
  CHECK(forward_macs(c1) == 57802752.0);
  CHECK(forward_flops(c1) == 2 * 57802752.0);
  CHECK(backward_flops(c1) == 2 * forward_flops(c1));  // input gradient + weight gradient
  CHECK(parameters(c1) == 128.0 * 64 * 9);
  // The first conv reads the image: no input gradient, only the weight gradient.
  CHECK(input_grad_flops(m.layers[0]) == 0.0);
  CHECK(backward_flops(m.layers[0]) == forward_flops(m.layers[0]));
  // deconv MACs = Cin Hin Win Cout k^2 = 128 x 28 x 28 x 64 x 4 = 25,690,112; params 128 x 64 x 4 + 64.
  const Layer& d = m.layers[2];
  CHECK(z.shape.h == 56);
  CHECK(forward_macs(d) == 25690112.0);
  CHECK(parameters(d) == 128.0 * 64 * 4 + 64);
}

TEST_CASE("saved activations count each tensor once - forks add gradient sums") {
  // x -> conv -> bn -> relu (in place) -> conv2 ; relu output also feeds `add` with conv2's bn.
  GraphBuilder g("t", 8, 8);
  const Tensor a = g.conv("c", g.image(), 4, 3);      // saves the image: 3 x 8 x 8 = 192
  const Tensor b = g.batchnorm("bn", a);               // saves a: 4 x 64 = 256
  const Tensor r = g.relu("relu", b);                  // in place: saves its output (b's storage): 256
  const Tensor c = g.conv_bn("c2", r, 4, 3, 1, false); // conv saves r (already saved), bn saves 256
  (void)g.add("add", c, r);                            // saves nothing; r now has two readers
  const ModelGraph m = std::move(g).finish(0);
  CHECK(m.layers[0].saved_elements == 192);
  CHECK(m.layers[1].saved_elements == 256);
  CHECK(m.layers[2].saved_elements == 256);
  CHECK(m.layers[3].saved_elements == 0);   // c2 conv: its input is relu's output, kept already
  CHECK(m.layers[4].saved_elements == 256);  // c2.bn
  CHECK(m.saved_elements() == 192 + 256 + 256 + 256);
  CHECK(m.layers[2].extra_consumers == 1);  // relu's output: read by c2 and by add
  CHECK(m.layers[1].extra_consumers == 0);
}

TEST_CASE("kernels: channel padding, tiles, NCHW transposes, batch-norm passes") {
  CHECK(padded_channels(3, DataType::fp16) == 8);
  CHECK(padded_channels(3, DataType::tf32) == 4);
  CHECK(padded_channels(3, DataType::fp32) == 3);
  CHECK(padded_channels(64, DataType::fp8) == 64);
  CHECK(gemm_tiles(300, 64) == 3.0);  // ceil(300/128) x ceil(64/128)

  GraphBuilder g("t", 32, 32);
  const Tensor x = g.conv("c0", g.image(), 16, 3);
  (void)g.batchnorm("bn", g.conv("c1", x, 16, 3));
  const ModelGraph m = std::move(g).finish(0);
  const Layer& c1 = m.layers[1];
  // amp, NCHW: weight cast, transpose in, filter transpose, conv, transpose out.
  CHECK(layer_kernels(c1, {Precision::amp, false, 2, {}}).forward.size() == 5);
  // backward: transposes around the input-gradient call (3 with the filter's) and the
  // weight-gradient call (2, and dw back), the two matmuls, the weight-gradient cast.
  CHECK(layer_kernels(c1, {Precision::amp, false, 2, {}}).backward.size() == 9);
  CHECK(layer_kernels(c1, {Precision::amp, true, 2, {}}).forward.size() == 2);  // NHWC: cast + conv
  // TF32 NCHW 3x3: x and the filter transposed in, y written in NCHW by the conv itself.
  CHECK(layer_kernels(c1, {Precision::tf32, false, 2, {}}).forward.size() == 3);
  CHECK(layer_kernels(c1, {Precision::tf32, true, 2, {}}).forward.size() == 1);
  // Batch norm forward reads twice and writes once: 3 x n x e = 3 x (2 x 16 x 32 x 32) x 2 bytes.
  Bytes bn_forward = 0;
  for (const auto& k : layer_kernels(m.layers[2], {Precision::amp, false, 2, {}}).forward) bn_forward += k.work.bytes;
  CHECK(bn_forward == 3.0 * 2 * 16 * 32 * 32 * 2);
  // The conv's forward matmul: F = 2 x MACs x batch; fp16 pads 16 channels to 16 (no change).
  const auto fwd = layer_kernels(c1, {Precision::amp, true, 2, {}}).forward;
  CHECK(fwd[1].matmul);
  CHECK(fwd[1].work.flops == 2.0 * forward_flops(c1));
}
