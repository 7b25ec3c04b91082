// The alpha-beta formulas, each written out and worked by hand.
#include <catch2/catch.hpp>

#include "sim/model/collectives.hpp"
#include "sim/model/roofline.hpp"

using namespace trainsim;

TEST_CASE("ring all-reduce: T = 2(n-1)(alpha + S/(n bw))") {
  // n = 4, S = 400 MB, alpha = 10 us, bw = 20 GB/s:
  //   S/(n bw) = 400e6 / (4 * 20e9) = 5 ms; per step 5.01 ms; 6 steps -> 30.06 ms
  CHECK(ring_allreduce_time(4, 400e6, 10e-6, 20e9) == Approx(0.03006).epsilon(1e-12));
  // one rank: nothing to do
  CHECK(ring_allreduce_time(1, 400e6, 10e-6, 20e9) == 0.0);
  // n = 2: 2 steps of S/2: 2 * (1e-6 + 1e9 / (2 * 1e9)) = 1.000002 s
  CHECK(ring_allreduce_time(2, 1e9, 1e-6, 1e9) == Approx(1.000002).epsilon(1e-12));
}

TEST_CASE("ring reduce-scatter and all-gather: T = (n-1)(alpha + S/(n bw))") {
  // n = 8, S = 8 GB, alpha = 1 us, bw = 100 GB/s: 7 * (1e-6 + 8e9 / 8e11) = 7 * 0.010001 = 0.070007 s
  CHECK(ring_reduce_scatter_time(8, 8e9, 1e-6, 100e9) == Approx(0.070007).epsilon(1e-12));
  CHECK(ring_all_gather_time(8, 8e9, 1e-6, 100e9) == Approx(0.070007).epsilon(1e-12));
}

TEST_CASE("pipelined broadcast: T = (n-2+k)(alpha + S/(k bw))") {
  // n = 4, S = 64 MB in k = 16 chunks of 4 MB at 10 GB/s, alpha = 2 us:
  //   per chunk 4e6 / 1e10 = 0.4 ms + 2 us = 0.402 ms; (4 - 2 + 16) = 18 chunk-steps -> 7.236 ms
  CHECK(ring_broadcast_time(4, 64e6, 16, 2e-6, 10e9) == Approx(0.007236).epsilon(1e-12));
  // k = 1 is store-and-forward over n-1 hops: (n-1)(alpha + S/bw)
  CHECK(ring_broadcast_time(3, 1e6, 1, 1e-6, 1e9) == Approx(2 * (1e-6 + 1e-3)).epsilon(1e-12));
}

TEST_CASE("pipelined tree all-reduce: T = (2H + k - 1)(alpha + S_tree/(k bw))") {
  // height 2, S_tree = 32 MB in 8 chunks at 50 GB/s, alpha = 1 us:
  //   per chunk 4e6 / 5e10 = 80 us + 1 us = 81 us; 2*2 + 8 - 1 = 11 -> 891 us
  CHECK(tree_allreduce_time(2, 32e6, 8, 1e-6, 50e9) == Approx(891e-6).epsilon(1e-12));
}

TEST_CASE("direct one-shot all-reduce: T = alpha + (n-1) S / bw_gpu") {
  // 8 GPUs on a switch, 1 MB, 2 us, 360 GB/s per GPU link: 2e-6 + 7e6 / 3.6e11 = 21.444... us
  CHECK(direct_allreduce_time(8, 1e6, 2e-6, 360e9) == Approx(2e-6 + 7e6 / 3.6e11).epsilon(1e-12));
}

TEST_CASE("NVLS all-reduce: T = (k+1)(alpha + S(n+1)/(n k bw))") {
  // 8 GPUs, 8 GB in 64 chunks at 360 GB/s, alpha 1.2 us:
  //   per chunk 8e9 * 9 / (8 * 64 * 3.6e11) = 0.390625 ms; + 1.2 us; times 65
  const double step = 1.2e-6 + 8e9 * 9.0 / (8.0 * 64 * 3.6e11);
  CHECK(nvls_allreduce_time(8, 8e9, 64, 1.2e-6, 360e9) == Approx(65 * step).epsilon(1e-12));
}

TEST_CASE("pipeline chunks: ceil(S/chunk) within [1, max]") {
  CHECK(pipeline_chunks(1, 4e6, 64) == 1);
  CHECK(pipeline_chunks(4e6, 4e6, 64) == 1);
  CHECK(pipeline_chunks(4e6 + 1, 4e6, 64) == 2);
  CHECK(pipeline_chunks(1e12, 4e6, 64) == 64);
}

TEST_CASE("nccl-tests bus bandwidth factors") {
  CHECK(allreduce_busbw_factor(8) == Approx(1.75));
  CHECK(allreduce_busbw_factor(2) == Approx(1.0));
  CHECK(gather_scatter_busbw_factor(4) == Approx(0.75));
}

TEST_CASE("roofline: t = max(F/(peak eff wave), B/(bw eff)) + launch") {
  RooflineParams p;
  p.peak = 100e12;
  p.compute_efficiency = 0.5;
  p.bandwidth = 1e12;
  p.memory_efficiency = 0.8;
  p.launch = 5e-6;
  p.sm_count = 100;
  p.blocks_per_sm = 2;
  SECTION("compute bound, full waves") {
    // 1 TFLOP at 50 TFLOP/s = 20 ms; 1 GB at 0.8 TB/s = 1.25 ms -> 20 ms + 5 us
    KernelWork k{1e12, 1e9, 400};
    CHECK(roofline_time(k, p) == Approx(0.020005).epsilon(1e-12));
    CHECK(compute_bound(k, p));
  }
  SECTION("memory bound") {
    // 1 GFLOP -> 20 us; 8 GB at 0.8 TB/s = 10 ms
    KernelWork k{1e9, 8e9, 0};
    CHECK(roofline_time(k, p) == Approx(0.010005).epsilon(1e-12));
    CHECK_FALSE(compute_bound(k, p));
  }
  SECTION("a partial last wave pays for a whole one") {
    // 300 blocks on 200 slots = 1.5 waves -> efficiency 1.5 / 2 = 0.75
    CHECK(wave_efficiency(300, 100, 2) == Approx(0.75));
    KernelWork k{1e12, 0, 300};
    CHECK(roofline_time(k, p) == Approx(1e12 / (100e12 * 0.5 * 0.75) + 5e-6).epsilon(1e-12));
  }
}
