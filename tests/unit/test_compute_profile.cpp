// The compute profile: the roofline of a layer worked by hand, the identities the engine relies
// on, precision support, memory and the largest batch.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sim/input/catalog_io.hpp"
#include "sim/workload/compute_profile.hpp"
#include "sim/workload/graph_builder.hpp"
#include "sim/workload/layer_kernels.hpp"
#include "sim/workload/model_zoo.hpp"

using namespace trainsim;

namespace {

GpuSpec test_gpu() {
  GpuSpec g;
  g.name = "test";
  g.memory_gb = 80;
  g.memory_bandwidth_gbps = 1000;
  g.sm_count = 100;
  g.dense_tflops[static_cast<std::size_t>(DataType::fp32)] = 20.0;
  g.dense_tflops[static_cast<std::size_t>(DataType::fp16)] = 100.0;
  g.physics.peak_clock_mhz = g.physics.sustained_clock_mhz = g.physics.boost_clock_mhz = 1000;
  g.physics.stream_gbps = 800;  // below the Little's-law limit 10 x 100 SMs x 1 GHz = 1000 GB/s
  g.physics.matmul_fraction = 0.8;
  return g;
}

ComputeGeneration test_generation() {
  ComputeGeneration gen;
  gen.fp32_efficiency = 0.5;
  gen.physics.cudnn_bytes_per_sm_clock = 10.0;
  gen.physics.implicit_gemm_factor = 0.625;  // fp16: 0.8 x 0.625 = 0.5
  gen.launch_overhead_us = 5.0;
  return gen;
}

// A convolution built by hand: k x k over `in` to `out`.
Layer conv_layer(const char* name, Shape in, Shape out, int kernel, int stride = 1, int groups = 1) {
  Layer c;
  c.name = name;
  c.kind = LayerKind::conv;
  c.in = in;
  c.in_elements = in.elements();
  c.out = out;
  c.kernel = kernel;
  c.stride = stride;
  c.groups = groups;
  return c;
}

// The bytes of the memory kernels in a kernel list (casts, copies, transposes), in launch order.
std::vector<double> memory_bytes(const std::vector<KernelSpec>& v) {
  std::vector<double> bytes;
  for (const auto& s : v) {
    if (!s.matmul) bytes.push_back(s.work.bytes);
  }
  return bytes;
}

// A 3x3 convolution, a 1x1 stride-1 one and a 3x3 again, 64 channels on 56 x 56 maps: layers 1
// (pointwise) and 2 (spatial) are the two kinds cuDNN treats differently in NCHW.
ModelGraph pointwise_between_3x3() {
  GraphBuilder g("t", 56, 56);
  const Tensor x = g.conv("c0", g.image(), 64, 3);
  const Tensor y = g.conv("c1", x, 64, 1);
  (void)g.conv("c2", y, 64, 3);
  return std::move(g).finish(0);
}

}  // namespace

TEST_CASE("one conv layer, worked by hand") {
  // Image 3 x 64 x 64 -> conv 3x3 to 64 channels, batch 16, fp32 (no casts, transposes or padding),
  // on 20 TFLOPS fp32 at efficiency 0.5, 800 GB/s streaming, 100 SMs, 5 us per kernel.
  GraphBuilder b("one-conv", 64, 64);
  (void)b.conv("c", b.image(), 64, 3);
  const ModelGraph g = std::move(b).finish(0);
  const ComputeProfile p = profile_model(g, test_gpu(), test_generation(), Precision::fp32, 16, Optimizer::sgd);
  REQUIRE(p.layers.size() == 1);
  // Forward: F = 2 x 64 x 64 x 64 x 3 x 9 x 16 = 226,492,416 FLOP
  //   bytes = 16 x (3 + 64) x 4096 x 4 + 1728 weights x 4 = 17,570,560
  //   tiles = ceil(16 x 4096 / 128) x ceil(64 / 64) = 512 on 100 SMs: 5.12 waves -> 5.12 / 6 = 0.8533
  //   shape: 64 channels fill one 64-wide tile; the reduction 3 x 9 = 27 fills 27 / 32 of a step
  //   compute = 226,492,416 / (20e12 x 0.5 x 27/32 x 0.8533) = 31.457 us; memory = 17,570,560 / 0.8e12 = 21.963 us
  //   t = 31.457 + 5 = 36.457 us
  CHECK(p.layers[0].forward == Approx(226492416.0 / (20e12 * 0.5 * (27.0 / 32) * (5.12 / 6)) + 5e-6).epsilon(1e-12));
  CHECK(p.layers[0].forward == Approx(36.457e-6).epsilon(1e-4));
  CHECK(p.layers[0].compute_bound);
  // Backward: the image needs no gradient; the weight gradient (split-K, no wave tail), a 64 x 27
  // output in 64 x 64 tiles (27 / 64 useful): 226,492,416 / (10e12 x 27/64) = 53.687 us -> + 5 us
  CHECK(p.layers[0].backward == Approx(226492416.0 / (10e12 * 27.0 / 64) + 5e-6).epsilon(1e-12));
  // Host dispatch: 1 operator x 10 us each way, below the kernels: no stretch.
  CHECK(p.host_forward_s == Approx(10e-6));
  CHECK_FALSE(p.host_bound());
  // Optimizer (SGD, fp32): 1728 x 44 bytes / 0.8e12 + 4 foreach kernels x 5 us = 20.095 us
  CHECK(p.optimizer_s == Approx(1728.0 * 44 / 0.8e12 + 4 * 5e-6).epsilon(1e-12));
  CHECK(p.gradient_bytes == 1728.0 * 4);
}

TEST_CASE("eager kernels stream, cuDNN's kernels stop at the Little's-law limit of their element size") {
  GpuSpec g = test_gpu();
  SharedPhysics ph;
  ph.cudnn_bytes_per_sm_clock = 10.0;
  CHECK(eager_bandwidth_gbps(g) == Approx(800));              // PyTorch's vectorised kernels: streaming
  CHECK(cudnn_bandwidth_gbps(g, ph, 4.0) == Approx(800));     // 10 B x 100 SMs x 1 GHz = 1000 > 800
  ph.cudnn_bytes_per_sm_clock = 4.0;
  CHECK(cudnn_bandwidth_gbps(g, ph, 4.0) == Approx(400));     // 4 x 100 x 1 = 400 < 800
  CHECK(cudnn_bandwidth_gbps(g, ph, 2.0) == Approx(200));     // an fp16 element per thread: half the bytes
  CHECK(eager_bandwidth_gbps(g) == Approx(800));              // the eager kernels do not care
  g.physics.boost_clock_mhz = 1500;
  CHECK(cudnn_bandwidth_gbps(g, ph, 4.0) == Approx(600));     // the clock scales the limit
}

TEST_CASE("tile quantisation: narrow channel counts waste part of each tile") {
  const ConvTiles t;  // 128 wide, 64 up to 64 channels, 32-deep reduction steps
  CHECK(t.n_fraction(64) == 1.0);
  CHECK(t.n_fraction(256) == 1.0);
  CHECK(t.n_fraction(48) == Approx(48.0 / 64));    // HRNet-W44's 44 channels padded to 48
  CHECK(t.n_fraction(88) == Approx(88.0 / 128));   // its second branch
  CHECK(t.n_fraction(176) == Approx(176.0 / 256));
  CHECK(t.k_fraction(48 * 9) == Approx(432.0 / 448));
  CHECK(t.k_fraction(24) == Approx(24.0 / 32));    // a 1x1 over 24 channels: one partial step
  CHECK(gemm_tiles(1000, 48, t) == 8.0);           // ceil(1000/128) x one 64-wide tile
}

TEST_CASE("HRNet's narrow branches run below ResNet's efficiency on the same GPU") {
  const Catalog& c = io::default_catalog();
  const GpuSpec& gpu = c.gpu("rtx3090");
  auto tflops_reached = [&](const char* model) {
    const ModelGraph g = build_model(model, 224, 224);
    const ComputeProfile p = profile_model(g, gpu, c.generation_of(gpu), Precision::amp, 32, Optimizer::sgd);
    double flops = 0, seconds = 0;
    for (const auto& l : p.layers) {
      if (!is_matmul(l.kind)) continue;
      flops += l.forward_flops + l.backward_flops;
      seconds += l.forward + l.backward;
    }
    return flops / seconds;
  };
  CHECK(tflops_reached("hrnet-w44") < 0.9 * tflops_reached("resnet50"));
}

TEST_CASE("the iteration is exactly forward + backward + optimizer, and calibration scales it") {
  const Catalog& c = io::default_catalog();
  const GpuSpec& gpu = c.gpu("rtx3090");
  const ModelGraph g = build_model("dbnet-resnet18", 640, 640);
  const ComputeProfile p = profile_model(g, gpu, c.generation_of(gpu), Precision::amp, 8, Optimizer::adamw);
  double fwd = 0, bwd = 0, grads = 0;
  for (const auto& l : p.layers) {
    fwd += l.forward;
    bwd += l.backward;
    grads += l.grad_bytes;
  }
  CHECK(p.forward_s() == fwd);
  CHECK(p.backward_s() == bwd);
  CHECK(p.iteration_s() == fwd + bwd + p.optimizer_s);
  CHECK(p.gradient_bytes == Approx(grads));
  CHECK(p.gradient_bytes == Approx(4.0 * g.params()));  // fp32 gradients under amp
  CHECK(p.input_bytes_per_sample == Approx(28.0 * 640 * 640));  // image + 4 DB maps, fp32
  // The backward of a conv net costs about twice its forward.
  CHECK(p.backward_s() / p.forward_s() == Approx(2.0).margin(0.5));
  const ComputeProfile cal = profile_model(g, gpu, c.generation_of(gpu), Precision::amp, 8, Optimizer::adamw, 1.25);
  CHECK(cal.iteration_s() == Approx(1.25 * p.iteration_s()).epsilon(1e-12));
  CHECK(cal.calibration == 1.25);
}

TEST_CASE("precisions a GPU lacks are input errors naming what it has") {
  const Catalog& c = io::default_catalog();
  const ModelGraph g = build_model("resnet50", 224, 224);
  auto run = [&](const char* gpu, Precision p) {
    const GpuSpec& s = c.gpu(gpu);
    return profile_model(g, s, c.generation_of(s), p, 32, Optimizer::sgd);
  };
  try {
    (void)run("a100-sxm4-80gb", Precision::fp8);
    FAIL("fp8 on an A100 ran");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("precision") != std::string::npos);
    CHECK(m.find("fp8") != std::string::npos);
    CHECK(m.find("amp") != std::string::npos);  // what it does support
  }
  CHECK_THROWS_AS(run("v100-sxm2-16gb", Precision::tf32), InputError);
  CHECK_THROWS_AS(run("v100-sxm2-16gb", Precision::bf16), InputError);
  CHECK(run("h100-sxm5-80gb", Precision::fp8).iteration_s() < run("h100-sxm5-80gb", Precision::bf16).iteration_s());
  CHECK(run("v100-sxm2-16gb", Precision::amp).iteration_s() < run("v100-sxm2-16gb", Precision::fp32).iteration_s());
}

TEST_CASE("a batch that does not fit is an input error with the breakdown in GB") {
  const Catalog& c = io::default_catalog();
  const GpuSpec& gpu = c.gpu("rtx3090");
  const ModelGraph g = build_model("dbnet-hrnet-w44", 1024, 1024);
  const int fits = max_batch(g, gpu, Precision::amp, Optimizer::sgd);
  REQUIRE(fits > 0);
  CHECK(training_memory(g, Precision::amp, Optimizer::sgd, fits).total() <= memory_capacity(gpu));
  CHECK(training_memory(g, Precision::amp, Optimizer::sgd, fits + 1).total() > memory_capacity(gpu));
  try {
    (void)profile_model(g, gpu, c.generation_of(gpu), Precision::amp, fits + 1, Optimizer::sgd);
    FAIL("an oversized batch ran");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("batch") != std::string::npos);
    CHECK(m.find("at most " + std::to_string(fits)) != std::string::npos);
    CHECK(m.find("activations") != std::string::npos);
    CHECK(m.find("GB") != std::string::npos);
  }
}

TEST_CASE("the OCR report's batches fit a 24 GB RTX 3090 with amp") {
  // ocr-campaign.md: HRNet-W44 DBNet trained with batch 4 at 1024 px and batch 2 at 1280 px.
  const Catalog& c = io::default_catalog();
  const GpuSpec& gpu = c.gpu("rtx3090");
  const int at1024 = max_batch(build_model("dbnet-hrnet-w44", 1024, 1024), gpu, Precision::amp, Optimizer::sgd);
  const int at1280 = max_batch(build_model("dbnet-hrnet-w44", 1280, 1280), gpu, Precision::amp, Optimizer::sgd);
  CHECK(at1024 >= 4);
  CHECK(at1280 >= 2);
  CHECK(at1280 < at1024);
  // AdamW's extra state is small next to the activations: the same batches fit.
  CHECK(max_batch(build_model("dbnet-hrnet-w44", 1024, 1024), gpu, Precision::amp, Optimizer::adamw) >= 4);
}

TEST_CASE("every zoo model profiles on every catalog GPU at every precision it supports") {
  const Catalog& c = io::default_catalog();
  for (const auto& name : model_names()) {
    const ModelGraph g = build_model(name, 256, 256);
    for (const auto& gpu : c.gpus) {
      for (const auto& pname : precision_names()) {
        const Precision p = *parse_precision(pname);
        INFO(name << " on " << gpu.name << " at " << pname);
        if (!gpu.supports(matmul_type(p))) {
          CHECK_THROWS_AS(profile_model(g, gpu, c.generation_of(gpu), p, 1, Optimizer::sgd), InputError);
          continue;
        }
        const ComputeProfile prof = profile_model(g, gpu, c.generation_of(gpu), p, 2, Optimizer::adamw);
        CHECK(prof.iteration_s() > 0);
        CHECK(std::isfinite(prof.iteration_s()));
      }
    }
  }
}

TEST_CASE("a power-limited part runs every kernel at the clock its watts per SM allow") {
  const Catalog& c = io::default_catalog();
  const GpuSpec& sxm = c.gpu("h100-sxm5-80gb");
  const GpuSpec& pcie = c.gpu("h100-pcie-80gb");
  // Cube law against the full-power part: 1830 MHz x ((350/114) / (700/132))^(1/3).
  const double f = sxm.physics.peak_clock_mhz * std::pow((350.0 / 114) / (700.0 / 132), c.physics.power_exponent);
  CHECK(pcie.physics.sustained_clock_mhz == Approx(f));
  CHECK(pcie.physics.loaded_clock_mhz == Approx(f));  // below its 1755 MHz boost
  // No power limit: the clock its peaks are quoted at (1830 MHz), which the cube law starts from,
  // not its 1980 MHz boost.
  CHECK(sxm.physics.loaded_clock_mhz == sxm.physics.peak_clock_mhz);
  CHECK(sxm.physics.loaded_clock_mhz < sxm.physics.boost_clock_mhz);
  // cuDNN's (Little's-law) bandwidth follows the loaded clock, not the boost clock.
  CHECK(cudnn_bandwidth_gbps(pcie, c.physics, 4.0) ==
        Approx(c.physics.cudnn_bytes_per_sm_clock * 114 * f * 1e-3));
  CHECK(cudnn_bandwidth_gbps(sxm, c.physics, 4.0) ==
        Approx(c.physics.cudnn_bytes_per_sm_clock * 132 * sxm.physics.peak_clock_mhz * 1e-3));
  // A100 PCIe 40GB at 250 W against the 400 W SXM: 1410 x (250/400)^(1/3) = 1206 MHz.
  CHECK(c.gpu("a100-pcie-40gb").physics.loaded_clock_mhz == Approx(1410 * std::cbrt(250.0 / 400)).epsilon(2e-3));
}

TEST_CASE("depthwise convolutions are memory bound - grouped ones are tiled per group") {
  const Layer dw = conv_layer("dw", Shape{96, 56, 56}, Shape{96, 56, 56}, 3, 1, 96);
  const KernelOptions o{Precision::amp, true, 8, ConvTiles{}};
  const LayerKernels k = layer_kernels(dw, o);
  // amp: weight cast + one direct kernel forward; input gradient, weight gradient + cast backward.
  REQUIRE(k.forward.size() == 2);
  REQUIRE(k.backward.size() == 3);
  const double io = 2.0 * 96 * 56 * 56 * 8 * 2 + 96 * 9 * 2;  // x and y in fp16 + fp16 weights
  for (const auto* s : {&k.forward[1], &k.backward[0], &k.backward[1]}) {
    CHECK_FALSE(s->matmul);  // not on tensor cores
    CHECK(s->work.bytes == Approx(io));
  }
  CHECK(k.forward[1].work.flops == Approx(2.0 * 96 * 56 * 56 * 9 * 8));  // no channel padding
  // On any GPU the time is the bytes over the bandwidth: 18 FLOP per 4 bytes moved.
  RooflineParams rp;
  rp.peak = 71e12;
  rp.compute_efficiency = 0.8;
  rp.bandwidth = 852e9;
  rp.sm_count = 82;
  CHECK_FALSE(compute_bound(k.forward[1].work, rp));

  // Channels-last input runs in cuDNN: the weight gradient is one pass too.
  CHECK(cudnn_depthwise(dw, o));
  CHECK(k.backward[1].work.bytes == Approx(io));

  // ResNeXt-style grouped 3x3: 128 -> 128 channels in 32 groups of 4, padded to 8 per group (fp16):
  // 4x the multiply-adds; each group's GEMM has 8 output channels in a 64-wide tile.
  Layer gc = dw;
  gc.in = gc.out = Shape{128, 28, 28};
  gc.in_elements = gc.in.elements();
  gc.groups = 32;
  const LayerKernels g = layer_kernels(gc, o);
  // In NHWC its 4 channels per group are copied into padded buffers around the call: cast, copy, conv.
  REQUIRE(g.forward.size() >= 3);
  const KernelSpec& fwd = g.forward[2];
  CHECK(fwd.matmul);
  CHECK(fwd.work.flops == Approx(forward_flops(gc) * 8 * 4.0));
  CHECK(fwd.work.shape_efficiency == Approx(8.0 / 64 * (8.0 * 9) / 96));  // reduction 72 in 32-deep steps
  CHECK(fwd.work.blocks == Approx(32 * std::ceil(8 * 28 * 28 / 128.0)));
}

TEST_CASE("memory peak: the activations saved up to a layer plus that layer's tensors in flight") {
  // x (4x8x8) -> conv 3x3 to 16 -> relu (out of place) -> conv 1x1 to 4, fp32, batch 1.
  GraphBuilder b("peak", 8, 8);
  const Tensor c1 = b.conv("c1", b.image(), 16, 3);
  const Tensor r = b.relu("r", c1, false);
  (void)b.conv("c2", r, 4, 1);
  const ModelGraph g = std::move(b).finish(0);
  const MemoryBreakdown m = training_memory(g, Precision::fp32, Optimizer::sgd, 1);
  // Saved: c1 its input (3x64), r its output (16x64), c2 its input (the same tensor, once).
  // While c2 runs, all of it is alive with c2's input and output in flight (16x64 + 4x64); at r,
  // only c1's and r's saves with r's 16x64 + 16x64: the peak is at c2, 1344 + 1280 elements.
  CHECK(m.activations == Approx((3.0 * 64 + 16 * 64) * 4 + g.input_bytes_per_sample));
  CHECK(m.workspace == Approx(cudnn_workspace_bytes() + (16.0 * 64 + 4 * 64) * 4));
}

TEST_CASE("ResNet-50 at batch 512 with amp fits a 24 GB RTX 3090, as timm's benchmark ran it") {
  // huggingface/pytorch-image-models results/benchmark-train-amp-nchw-pt112-cu113-rtx3090.csv:
  // resnet50, train_batch_size 512, 826 samples/s.
  const Catalog& c = io::default_catalog();
  CHECK(max_batch(build_model("resnet50", 224, 224), c.gpu("rtx3090"), Precision::amp, Optimizer::sgd) >= 512);
}

TEST_CASE("channels-last convolutions copy the operands whose channels are not whole tensor-core vectors") {
  // HRNet-W18's first branch: 3x3, 18 -> 18 channels on 56 x 56, fp16 NHWC, batch 2.
  const Layer c = conv_layer("branch", Shape{18, 56, 56}, Shape{18, 56, 56}, 3);
  const double n = 18.0 * 56 * 56 * 2, e = 2;
  const auto copies = memory_bytes;
  const KernelOptions nhwc{Precision::amp, true, 2, ConvTiles{}};
  const NhwcPadCopies p = nhwc_pad_copies(c, nhwc);
  CHECK(p.x);
  CHECK(p.y);
  const LayerKernels k = layer_kernels(c, nhwc);
  // Forward: weight cast, then x copied in and y copied out (2 n e each); backward: dy in and dx out
  // around the input gradient, dy and x again for the weight gradient, then the weight-gradient cast.
  const double w = 18.0 * 18 * 9;
  CHECK(copies(k.forward) == std::vector<double>{w * (4 + 2), 2 * n * e, 2 * n * e});
  CHECK(copies(k.backward) == std::vector<double>{2 * n * e, 2 * n * e, 2 * n * e, 2 * n * e, w * (2 + 4)});
  // The same layer in NCHW pays its transposes (which pad in the same pass): the same bytes, and the
  // filter's transposes (KCRS to KRSC, 2 P w) before the forward and the input gradient and after the
  // weight gradient.
  const LayerKernels t = layer_kernels(c, KernelOptions{Precision::amp, false, 2, ConvTiles{}});
  const double wt = 2 * w * 2;
  CHECK(copies(t.forward) == std::vector<double>{w * (4 + 2), 2 * n * e, wt, 2 * n * e});
  CHECK(copies(t.backward) == std::vector<double>{2 * n * e, wt, 2 * n * e, 2 * n * e, 2 * n * e, wt, w * (2 + 4)});

  // 32 channels are whole vectors: no copies in NHWC. TF32 vectors are 4 channels: 18 needs copies,
  // 32 does not.
  Layer wide = c;
  wide.in = wide.out = Shape{32, 56, 56};
  wide.in_elements = wide.in.elements();
  CHECK(copies(layer_kernels(wide, nhwc).forward).size() == 1);  // the weight cast only
  CHECK(nhwc_pad_copies(c, KernelOptions{Precision::tf32, true, 2, ConvTiles{}}).x);
  CHECK_FALSE(nhwc_pad_copies(wide, KernelOptions{Precision::tf32, true, 2, ConvTiles{}}).x);
  // The stem (3 -> 64 channels, no input gradient): only the image is copied.
  Layer stem = c;
  stem.in = Shape{3, 224, 224};
  stem.in_elements = stem.in.elements();
  stem.out = Shape{64, 112, 112};
  stem.kernel = 7;
  stem.stride = 2;
  stem.input_grad = false;
  const NhwcPadCopies s = nhwc_pad_copies(stem, nhwc);
  CHECK(s.x);
  CHECK_FALSE(s.y);
  // Depthwise convolutions are direct kernels: no padding.
  Layer dw = c;
  dw.groups = 18;
  CHECK_FALSE(nhwc_pad_copies(dw, nhwc).x);
}

TEST_CASE("depthwise backends follow PyTorch 1.12's use_cudnn_depthwise") {
  const Layer dw = conv_layer("dw", Shape{72, 56, 56}, Shape{72, 56, 56}, 3, 1, 72);
  const KernelOptions nchw_amp{Precision::amp, false, 512, ConvTiles{}};
  const KernelOptions nhwc_fp32{Precision::fp32, true, 512, ConvTiles{}};
  const KernelOptions nchw_fp32{Precision::fp32, false, 512, ConvTiles{}};
  const KernelOptions nchw_bf16{Precision::bf16, false, 512, ConvTiles{}};
  CHECK(cudnn_depthwise(dw, nchw_amp));        // fp16, >= 32 channels, 3x3, stride 1
  CHECK(cudnn_depthwise(dw, nhwc_fp32));       // channels-last: always cuDNN
  CHECK_FALSE(cudnn_depthwise(dw, nchw_fp32)); // fp32 NCHW: native
  CHECK_FALSE(cudnn_depthwise(dw, nchw_bf16)); // only fp16 goes to cuDNN in NCHW
  Layer narrow = dw;                           // MobileNetV3's first block: 16 channels
  narrow.in = narrow.out = Shape{16, 112, 112};
  narrow.groups = 16;
  CHECK_FALSE(cudnn_depthwise(narrow, nchw_amp));
  Layer seven = dw;  // ConvNeXt's 7x7: native in NCHW, cuDNN when its input has NHWC strides
  seven.kernel = 7;
  CHECK_FALSE(cudnn_depthwise(seven, nchw_amp));
  seven.nhwc_input = true;
  CHECK(cudnn_depthwise(seven, nchw_amp));
  // Stride 2: 3x3 and 5x5 only from 512 channels, or 256 at least 28 wide.
  Layer s2 = dw;
  s2.stride = 2;
  s2.out = Shape{72, 28, 28};
  CHECK_FALSE(cudnn_depthwise(s2, nchw_amp));
  s2.in = Shape{256, 28, 28};
  s2.groups = 256;
  CHECK(cudnn_depthwise(s2, nchw_amp));
  s2.in = Shape{256, 14, 14};
  CHECK_FALSE(cudnn_depthwise(s2, nchw_amp));
  s2.in = Shape{512, 14, 14};
  s2.groups = 512;
  CHECK(cudnn_depthwise(s2, nchw_amp));

  // The native weight gradient: one block per (channel, kh, kw), each reading its channel's dy and
  // the x rows under its tap: k^2 (n_out + n_in / stride) elements; the forward stays one pass.
  Layer f4 = dw;  // MobileNetV3's 5x5 stride-2 block: 72 x 56 x 56 -> 72 x 28 x 28, native under amp
  f4.kernel = 5;
  f4.stride = 2;
  f4.out = Shape{72, 28, 28};
  const LayerKernels k = layer_kernels(f4, nchw_amp);
  REQUIRE(k.backward.size() == 3);  // input gradient, weight gradient, weight-gradient cast
  const double b = 512, e = 2, w = 72 * 25 * 2;
  const double n_in = 72.0 * 56 * 56 * b, n_out = 72.0 * 28 * 28 * b;
  CHECK(k.forward[1].work.bytes == Approx((n_in + n_out) * e + w));
  CHECK(k.backward[0].work.bytes == Approx((n_in + n_out) * e + w));
  CHECK(k.backward[1].work.bytes == Approx(25 * (n_out + n_in / 2) * e + w));
  // The same layer in channels-last (cuDNN): one pass.
  const KernelOptions nhwc_amp{Precision::amp, true, 512, ConvTiles{}};
  CHECK(layer_kernels(f4, nhwc_amp).backward[1].work.bytes == Approx((n_in + n_out) * e + w));
}

TEST_CASE("a convolution whose input has NHWC strides pays no layout transposes") {
  Layer c = conv_layer("down", Shape{96, 56, 56}, Shape{192, 28, 28}, 2, 2);
  const KernelOptions nchw_amp{Precision::amp, false, 8, ConvTiles{}};
  const std::size_t with_transposes = layer_kernels(c, nchw_amp).forward.size();
  c.nhwc_input = true;
  // no copy of x, none of y, no filter transpose
  CHECK(layer_kernels(c, nchw_amp).forward.size() == with_transposes - 3);
}

TEST_CASE("TF32 in NCHW: 1x1 stride-1 convolutions are plain GEMMs, the others transpose their inputs") {
  // What the A100 ResNet-50 TF32 trace shows (../shared/reference/traces/nccl-a100-2rank-kineto.json.gz):
  // 1x1 convolutions run cutlass s1688gemm kernels on NCHW tensors; 3x3 ones transpose x (and the
  // filter) in, and their forward kernel (..._nhwckrsc_nchw) writes y in NCHW.
  const ModelGraph m = pointwise_between_3x3();
  const KernelOptions tf32{Precision::tf32, false, 4, ConvTiles{}};
  const Layer& pointwise = m.layers[1];
  const Layer& spatial = m.layers[2];
  REQUIRE(nchw_gemm(pointwise));
  REQUIRE_FALSE(nchw_gemm(spatial));
  CHECK(layer_kernels(pointwise, tf32).forward.size() == 1);
  // the input gradient, the weight gradient and its reduce_wgrad_nchw_helper (one pass over dW, fp32)
  REQUIRE(layer_kernels(pointwise, tf32).backward.size() == 3);
  CHECK(layer_kernels(pointwise, tf32).backward[2].work.bytes == 2.0 * 64 * 64 * 4);
  const double n = 4.0 * 64 * 56 * 56, e = 4, w = 64.0 * 64 * 9;
  const std::vector<double> fwd = memory_bytes(layer_kernels(spatial, tf32).forward);
  const std::vector<double> bwd = memory_bytes(layer_kernels(spatial, tf32).backward);
  CHECK(fwd == std::vector<double>{2 * n * e, 2 * w * 4});  // x and the filter in, no y out
  // dy and the filter in, dx out; dy and x in for the weight gradient, dw back.
  CHECK(bwd == std::vector<double>{2 * n * e, 2 * w * 4, 2 * n * e, 2 * n * e, 2 * n * e, 2 * w * 4});
  // Channels-last TF32: no transposes at all (64 channels are whole vectors).
  CHECK(layer_kernels(spatial, KernelOptions{Precision::tf32, true, 4, ConvTiles{}}).forward.size() == 1);
}

TEST_CASE("the TF32 NCHW GEMM path tiles each image's pixels, not the batch's") {
  // 7 x 7 maps (ResNet-50's layer4): a 128-pixel tile holds one image's 49 pixels, 0.38 of it useful;
  // over batch x pixels (the implicit GEMM of NHWC) the tiles would be full.
  GraphBuilder g("t", 7, 7);
  const Tensor x = g.conv("c0", g.image(), 512, 3);
  (void)g.conv("c1", x, 2048, 1);
  const ModelGraph m = std::move(g).finish(0);
  const Layer& pointwise = m.layers[1];
  const LayerKernels nchw = layer_kernels(pointwise, KernelOptions{Precision::tf32, false, 32, ConvTiles{}});
  const LayerKernels nhwc = layer_kernels(pointwise, KernelOptions{Precision::tf32, true, 32, ConvTiles{}});
  REQUIRE(nchw.forward.size() == 1);
  CHECK(nchw.forward[0].work.shape_efficiency == Approx(49.0 / 128.0));
  CHECK(nhwc.forward[0].work.shape_efficiency == Approx(1.0));
  CHECK(nchw.forward[0].work.blocks == 32 * 1 * 16);  // 32 images x 1 pixel tile x 2048 / 128 channels
  CHECK(nhwc.forward[0].work.blocks == std::ceil(32 * 49 / 128.0) * 16);
  // The input gradient likewise; the weight gradient reduces over every image's pixels (split-K).
  CHECK(nchw.backward[0].work.shape_efficiency == Approx(49.0 / 128.0));
  CHECK(nchw.backward[1].work.shape_efficiency == Approx(1.0));
}

TEST_CASE("fp16 in NCHW: 1x1 stride-1 convolutions take the per-image GEMM path too, 3x3 forwards copy y back") {
  // apuaaChen/EVT_AE benchmark/resnet/torch_result.md (ResNet-50, fp16, NCHW, A100 40GB): 158
  // nchwToNhwc calls per step like the TF32 trace, GEMM kernels and reduce_wgrad_nchw_helper<float,
  // __half> for the 1x1 convolutions, and ~15 more nhwcToNchw calls than TF32 (the 3x3 forwards).
  const ModelGraph m = pointwise_between_3x3();
  const Layer& pointwise = m.layers[1];
  const Layer& spatial = m.layers[2];
  const KernelOptions amp{Precision::amp, false, 4, ConvTiles{}};
  const double n = 4.0 * 64 * 56 * 56, e = 2, w = 64.0 * 64;
  // The 1x1: the weight cast, the GEMM; backward the two GEMMs, the reduce pass, the gradient cast.
  CHECK(memory_bytes(layer_kernels(pointwise, amp).forward) == std::vector<double>{w * (4 + 2)});
  CHECK(memory_bytes(layer_kernels(pointwise, amp).backward) == std::vector<double>{2 * w * 4, w * (2 + 4)});
  // The 3x3: x and the filter in, y back out (2 n e) under fp16, which TF32 does not pay.
  const double w3 = 9 * w;
  CHECK(memory_bytes(layer_kernels(spatial, amp).forward) == std::vector<double>{w3 * (4 + 2), 2 * n * e, 2 * w3 * 2, 2 * n * e});
  // Every NCHW copy is a cuDNN transpose kernel (and the convolution cuDNN's); the casts are PyTorch's.
  for (const auto& k : layer_kernels(spatial, amp).forward) {
    const bool cast = !k.matmul && k.work.bytes == w3 * (4 + 2);
    CHECK(k.path == (cast ? MemoryPath::stream : MemoryPath::cudnn));
  }
  // Before compute capability 8.0 (V100, Turing) the 1x1 transposes like the 3x3 under fp16.
  KernelOptions volta = amp;
  volta.fp16_nchw_gemm = false;
  CHECK(memory_bytes(layer_kernels(pointwise, volta).forward) ==
        std::vector<double>{w * (4 + 2), 2 * n * e, 2 * w * 2, 2 * n * e});
  KernelOptions volta_tf32 = volta;  // TF32 exists only from 8.0: the flag does not touch it
  volta_tf32.precision = Precision::tf32;
  CHECK(layer_kernels(pointwise, volta_tf32).forward.size() == 1);
  // Channels-last: no copies (64 channels are whole vectors): the cast streams, the convolution is cuDNN's.
  for (const auto& k : layer_kernels(spatial, KernelOptions{Precision::amp, true, 4, ConvTiles{}}).forward) {
    CHECK(k.path == (k.matmul ? MemoryPath::cudnn : MemoryPath::stream));
  }
}

TEST_CASE("batch norm: cuDNN's per-channel NCHW kernels move an element per thread, its NHWC kernels stream") {
  GraphBuilder g("t", 56, 56);
  (void)g.batchnorm("bn", g.conv("c0", g.image(), 64, 3));
  const ModelGraph m = std::move(g).finish(0);
  const Layer& bn = m.layers[1];
  REQUIRE(bn.kind == LayerKind::batchnorm);
  for (const bool channels_last : {false, true}) {
    const LayerKernels k = layer_kernels(bn, KernelOptions{Precision::amp, channels_last, 8, ConvTiles{}});
    REQUIRE(k.forward.size() == 2);
    REQUIRE(k.backward.size() == 2);
    for (const auto& v : {k.forward, k.backward}) {
      for (const auto& s : v) CHECK(s.path == (channels_last ? MemoryPath::stream : MemoryPath::cudnn_element));
    }
  }
  // In a profile: the NCHW batch norm of an fp16 model runs at the Little's-law limit of 2-byte
  // elements (4 x 100 SMs x 1 GHz x 2/4 = 200 GB/s here), the NHWC one at the streaming 800 GB/s.
  GpuSpec gpu = test_gpu();
  ComputeGeneration gen = test_generation();
  gen.physics.cudnn_bytes_per_sm_clock = 4.0;
  ProfileOptions nhwc;
  nhwc.channels_last = true;
  const ComputeProfile a = profile_model(m, gpu, gen, Precision::amp, 8, Optimizer::sgd, 1.0, ProfileOptions{});
  const ComputeProfile b = profile_model(m, gpu, gen, Precision::amp, 8, Optimizer::sgd, 1.0, nhwc);
  const double bytes = 3.0 * 8 * 64 * 56 * 56 * 2;  // the forward's two kernels: 3 n e
  CHECK(a.layers[1].forward == Approx(bytes / 200e9 + 2 * 5e-6));
  CHECK(b.layers[1].forward == Approx(bytes / 800e9 + 2 * 5e-6));
}
