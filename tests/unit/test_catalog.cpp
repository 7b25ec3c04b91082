#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"

using namespace trainsim;

TEST_CASE("the catalog has every GPU the issues name, with dense figures") {
  const Catalog& c = io::default_catalog();
  for (const char* name : {"rtx3090", "rtx4090", "v100-sxm2-16gb", "v100-sxm2-32gb", "a100-sxm4-40gb", "a100-sxm4-80gb",
                           "a100-pcie-40gb", "a100-pcie-80gb", "h100-sxm5-80gb", "h100-pcie-80gb", "h200-sxm-141gb", "gh200-96gb",
                           "b100", "b200", "rtx-a6000", "a10"}) {
    INFO(name);
    REQUIRE(c.find_gpu(name) != nullptr);
    CHECK_FALSE(c.find_gpu(name)->source.empty());
  }
  // H100 SXM FP16 is 989.4 dense (1,979 is the sparse figure the OCR report quotes).
  CHECK(*c.gpu("h100-sxm5-80gb").dense_tflops_of(DataType::fp16) == Approx(989.4));
  CHECK(*c.gpu("h200-sxm-141gb").dense_tflops_of(DataType::fp8) == Approx(1978.9));
  // GH200's GPU is the H100 SXM's GH100 with a sixth HBM3 stack: the same peaks, 4 TB/s, 96 GB.
  CHECK(*c.gpu("gh200-96gb").dense_tflops_of(DataType::tf32) == *c.gpu("h100-sxm5-80gb").dense_tflops_of(DataType::tf32));
  CHECK(c.gpu("gh200-96gb").memory_bandwidth_gbps == Approx(4000));
  CHECK(c.gpu("gh200-96gb").memory_gb == Approx(96));
  // Professional and data-center GA102 run FP16 with FP32 accumulate at full rate (GeForce: half).
  CHECK(*c.gpu("rtx-a6000").dense_tflops_of(DataType::fp16) == Approx(154.8));
  CHECK(*c.gpu("a10").dense_tflops_of(DataType::fp16) == Approx(125));
  CHECK(c.gpu("a10").physics.power_reference == "rtx-a6000");
  // GeForce: the FP32-accumulate tensor figure.
  CHECK(*c.gpu("rtx3090").dense_tflops_of(DataType::fp16) == Approx(71));
  CHECK_FALSE(c.gpu("a100-sxm4-80gb").supports(DataType::fp8));
  CHECK_FALSE(c.gpu("v100-sxm2-16gb").supports(DataType::bf16));
  CHECK(c.gpu("b200").memory_gb == Approx(180));  // not the report's 288 GB (that is B300)
  CHECK(c.gpu("rtx4090").nvlink.gbps_per_direction == 0);
}

TEST_CASE("an unknown GPU names the nearest ones") {
  const Catalog& c = io::default_catalog();
  try {
    (void)c.gpu("rtx-3090", {"x.yaml", 3, 6}, "gpu");
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("x.yaml:3:6") != std::string::npos);
    CHECK(m.find("did you mean 'rtx3090'") != std::string::npos);
  }
}

TEST_CASE("PCIe bandwidth per direction after line coding") {
  CHECK(pcie_gbps_per_direction(3, 16) == Approx(8.0 * 128 / 130 * 16 / 8));   // 15.75
  CHECK(pcie_gbps_per_direction(4, 16) == Approx(31.5077).epsilon(1e-4));
  CHECK(pcie_gbps_per_direction(5, 16) == Approx(63.0154).epsilon(1e-4));
}

TEST_CASE("catalog syntax errors name the line") {
  try {
    (void)io::parse_catalog("gpus: [\n  {name: a", "bad.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("bad.yaml:") == 0);
  }
}
