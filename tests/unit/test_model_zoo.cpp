// Published parameter and multiply-add counts pin the zoo's architectures.
#include <catch2/catch.hpp>

#include "sim/workload/model_zoo.hpp"

using namespace trainsim;

namespace {
double macs(const ModelGraph& g) { return g.forward_flops() / 2.0; }
}  // namespace

TEST_CASE("ResNet counts match torchvision's published figures (2 %)") {
  // torchvision.models docs (ResNet18_Weights / ResNet50_Weights .meta): num_params 11,689,512 and
  // 25,557,032; "GFLOPS" 1.81 and 4.09 (multiply-adds at 224 x 224).
  const ModelGraph r18 = build_model("resnet18", 224, 224);
  CHECK(r18.params() == Approx(11.69e6).epsilon(0.02));
  CHECK(macs(r18) == Approx(1.82e9).epsilon(0.02));
  const ModelGraph r50 = build_model("resnet50", 224, 224);
  CHECK(r50.params() == Approx(25.56e6).epsilon(0.02));
  CHECK(macs(r50) == Approx(4.1e9).epsilon(0.02));
  // Exact by the architecture: conv and fc weights, fc bias, BN scale and shift.
  CHECK(r50.params() == 25557032.0);
  CHECK(r18.params() == 11689512.0);
  // torchvision docs: resnet34 21,797,672 params, 3.66 GFLOPS; resnet101 44,549,160, 7.80.
  CHECK(build_model("resnet34", 224, 224).params() == 21797672.0);
  CHECK(macs(build_model("resnet101", 224, 224)) == Approx(7.80e9).epsilon(0.02));
}

TEST_CASE("HRNet-W*-C counts match the HRNet-Image-Classification README (2 %)") {
  // github.com/HRNet/HRNet-Image-Classification README: HRNet-W18-C 21.3M params 3.99 GFLOPs,
  // W32-C 41.2M 8.31, W44-C 67.1M 13.9. Their "GFLOPs" are multiply-adds of convolutions and
  // linear layers at 224 x 224 divided by 1024^3 (lib/utils/modelsummary.py), hence kGiB below:
  // 3.99 x 1.0737e9 = 4.28e9 multiply-adds for W18.
  const ModelGraph w18 = build_model("hrnet_w18", 224, 224);
  const ModelGraph w32 = build_model("hrnet-w32", 224, 224);
  const ModelGraph w44 = build_model("HRNet-W44", 224, 224);
  CHECK(w18.params() == Approx(21.3e6).epsilon(0.02));
  CHECK(w32.params() == Approx(41.2e6).epsilon(0.02));
  CHECK(w44.params() == Approx(67.1e6).epsilon(0.02));
  CHECK(macs(w18) == Approx(3.99 * kGiB).epsilon(0.02));
  CHECK(macs(w32) == Approx(8.31 * kGiB).epsilon(0.02));
  CHECK(macs(w44) == Approx(13.9 * kGiB).epsilon(0.02));
}
