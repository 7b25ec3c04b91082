// The layer forms imported graphs add (docs/models.md): grouped convolutions, linears over tokens,
// matmuls of two activations, views and extra parameters, worked by hand.
#include <catch2/catch.hpp>

#include "sim/workload/graph_builder.hpp"
#include "sim/workload/layer_kernels.hpp"

using namespace trainsim;

TEST_CASE("grouped and depthwise convolutions divide by the groups") {
  Layer l;
  l.kind = LayerKind::conv;
  l.in = {32, 56, 56};
  l.out = {32, 56, 56};
  l.kernel = 3;
  l.groups = 32;  // depthwise
  // MACs = Cout Hout Wout (Cin / g) k^2 = 32 x 56 x 56 x 1 x 9 = 903,168; params 32 x 1 x 9.
  CHECK(forward_macs(l) == 903168.0);
  CHECK(parameters(l) == 288.0);
  // A 1 x 7 kernel (kernel_w) on 4 groups of 8 channels: 32 x 56 x 56 x 8 x 7 MACs.
  l.groups = 4;
  l.kernel = 1;
  l.kernel_w = 7;
  CHECK(forward_macs(l) == 32.0 * 56 * 56 * 8 * 7);
  CHECK(parameters(l) == 32.0 * 8 * 7);
}

TEST_CASE("a linear over tokens and a matmul of two activations") {
  Layer fc;
  fc.kind = LayerKind::linear;
  fc.in = {768, 197, 1};  // 197 tokens of 768
  fc.out = {3072, 197, 1};
  fc.bias = true;
  // MACs = tokens x Cin x Cout = 197 x 768 x 3072; params 768 x 3072 + 3072.
  CHECK(forward_macs(fc) == 197.0 * 768 * 3072);
  CHECK(parameters(fc) == 768.0 * 3072 + 3072);

  // QK^T of 12 heads: [12, 197, 64] x [12, 64, 197]: in = K x M x batch, out = N x M x batch.
  GraphBuilder g("t", 1, 1, Shape{12 * 197 * 64, 1, 1});
  // A layer with weights between the image and q: gradients flow to q (not to what the image alone gives)
  const Tensor q = g.view(g.linear("w", g.image(), 12 * 197 * 64, false), {64, 197, 12});
  Layer qk;
  qk.kind = LayerKind::bmm;
  qk.in = {64, 197, 12};
  qk.out = {197, 197, 12};
  (void)g.layer(qk, {q, q}, {q}, false);
  const ModelGraph m = std::move(g).finish(0);
  const Layer& l = m.layers[1];
  // MACs = batch x M x K x N = 12 x 197 x 64 x 197 = 29,805,312; no weights.
  CHECK(forward_macs(l) == 29805312.0);
  CHECK(parameters(l) == 0.0);
  CHECK(backward_flops(l) == 2 * forward_flops(l));  // one gradient per input
  // Forward one tensor-core kernel, backward two; none casts weights.
  const LayerKernels k = layer_kernels(l, KernelOptions{Precision::fp32, false, 2, {}});
  REQUIRE(k.forward.size() == 1);
  REQUIRE(k.backward.size() == 2);
  CHECK(k.forward[0].matmul);
  CHECK(k.forward[0].work.flops == 2 * 29805312.0 * 2);  // batch 2, fp32: no channel padding
  // Bytes: both inputs (the same tensor read twice here) and the output, 4 bytes each, batch 2.
  CHECK(k.forward[0].work.bytes == (2 * 12 * 197 * 64 + 12 * 197 * 197) * 2 * 4.0);
}

TEST_CASE("views share storage and readers - extra parameters add to a layer's") {
  GraphBuilder g("t", 4, 4);
  const Tensor a = g.conv("c", g.image(), 8, 1);     // saves the image (48)
  const Tensor flat = g.view(a, {128, 1, 1});         // a reshape: no layer
  CHECK(flat.id == a.id);
  Layer scale;
  scale.kind = LayerKind::elementwise;
  scale.in = scale.out = flat.shape;
  scale.passes_forward = 2;
  scale.extra_params = 8;  // a per-channel scale from an initializer
  (void)g.layer(scale, {flat}, {flat}, false);
  (void)g.relu("r", a, false);                        // a second reader of a, through no view
  CHECK_THROWS((void)g.view(a, {3, 1, 1}));          // a view keeps the number of elements
  const ModelGraph m = std::move(g).finish(0);
  REQUIRE(m.layers.size() == 3);
  CHECK(m.params() == 3.0 * 8 + 8);
  CHECK(m.layers[1].saved_elements == 128);  // the view's storage is a's, saved once
  CHECK(m.layers[0].extra_consumers == 1);   // a read by the view's reader and by relu
}
