// Profiler traces: kernel classes, operator FLOPs from Input Dims, the per-kernel scaling formulas
// worked out by hand on two made-up GPUs, the per-step summary, and the small trace of tests/data.
#include <catch2/catch.hpp>

#include "sim/input/catalog_io.hpp"
#include "sim/import/kineto_reader.hpp"
#include "sim/workload/trace_predict.hpp"
#include "sim/workload/trace_workload.hpp"

using namespace trainsim;

namespace {

GpuSpec gpu(const char* name, int sms, double fp32_tflops, double gbps_bw) {
  GpuSpec g;
  g.name = name;
  g.sm_count = sms;
  g.dense_tflops[static_cast<std::size_t>(DataType::fp32)] = fp32_tflops;
  g.memory_bandwidth_gbps = gbps_bw;
  // Streaming kernels reach 0.8 of the bus (stream_gbps); a clock high enough that the Little's-law
  // limit (8 bytes x SMs x clock) never binds, so achievable bandwidth = 0.8 x gbps_bw.
  g.physics.stream_gbps = 0.8 * gbps_bw;
  g.physics.boost_clock_mhz = 1e6;
  return g;
}

ComputeGeneration gen(double launch_us) {
  ComputeGeneration c;
  c.fp32_efficiency = 0.5;
  c.launch_overhead_us = launch_us;
  return c;
}

TraceKernel kernel(KernelClass cls, Seconds start, Seconds dur, Seconds launch = -1, long long blocks = 0) {
  TraceKernel k;
  k.name = "k";
  k.cls = cls;
  k.start = start;
  k.dur = dur;
  k.launch = launch;
  k.blocks = blocks;
  return k;
}

}  // namespace

TEST_CASE("kernel classes and data types come from cuBLAS, cuDNN and PyTorch names") {
  CHECK(classify_kernel("volta_sgemm_64x64_nn", "", false) == KernelClass::matmul);
  CHECK(classify_kernel("ncclKernel_AllReduce_RING_LL_Sum_float", "", false) == KernelClass::nccl);
  CHECK(classify_kernel("void multi_tensor_apply_kernel<SGDFunctor>", "", false) == KernelClass::optimizer);
  CHECK(classify_kernel("void cudnn::bn_fw_tr_1C11_kernel_NCHW<float>", "", false) == KernelClass::norm_elementwise);
  CHECK(classify_kernel("void cask_cudnn::computeOffsetsKernel<false>", "", false) != KernelClass::matmul);
  CHECK(classify_kernel("Memcpy HtoD (Pageable -> Device)", "", false) == KernelClass::memcpy);
  CHECK(classify_kernel("void some_kernel", "aten::addmm", false) == KernelClass::matmul);
  CHECK(classify_kernel("void some_kernel", "aten::embedding", false) == KernelClass::other);
  CHECK(kernel_data_type("ampere_fp16_s16816gemm_fp16_128x128_ldg8_f2f_nn") == DataType::fp16);
  CHECK(kernel_data_type("cutlass_80_tensorop_tf32_s1688gemm_256x64") == DataType::tf32);
  CHECK(kernel_data_type("volta_sgemm_64x64_nn") == DataType::fp32);
}

TEST_CASE("operator FLOPs and bytes from Input Dims") {
  // addmm(bias[512], x[64,256], w[256,512]): 2*64*256*512 FLOPs; reads (512 + 64*256 + 256*512)
  // floats and writes 64*512: (512 + 16384 + 131072 + 32768) * 4 = 722,944 bytes.
  const OpWork w = operator_work("aten::addmm", {{512}, {64, 256}, {256, 512}}, {"float", "float", "float"});
  CHECK(w.flops == 16777216.0);
  CHECK(w.bytes == 722944.0);
  const OpWork b = operator_work("aten::bmm", {{4, 8, 16}, {4, 16, 2}}, {"c10::Half", "c10::Half"});
  CHECK(b.flops == 2.0 * 4 * 8 * 16 * 2);
  CHECK(b.bytes == (4 * 8 * 16 + 4 * 16 * 2 + 4 * 8 * 2) * 2.0);
  CHECK(operator_work("aten::relu", {{64, 256}}, {"float"}).flops == 0);
}

TEST_CASE("each kernel scales by its own bound") {
  // Source: 100 SMs, 10 TFLOPS fp32 at 0.5 (R = 5e12), 1000 GB/s at 0.8, 4 us floor.
  // Target: 200 SMs, 40 TFLOPS fp32 at 0.5 (R' = 20e12), 2000 GB/s at 0.8, 2 us floor.
  const GpuSpec s = gpu("s", 100, 10, 1000), t = gpu("t", 200, 40, 2000);
  const ComputeGeneration gs = gen(4), gt = gen(2);
  const GpuPair pair{s, gs, t, gt};
  // Compute bound, 300 blocks, 1004 us: f = 4 us -> f' = 2 us; waves ceil(300/200)/ceil(300/100)
  // = 2/3; per-SM rate (5e12/100)/(20e12/200) = 0.5: t' = 2 + 1000 * 2/3 * 0.5 = 335.33 us.
  TraceKernel mm = kernel(KernelClass::matmul, 0, 1004e-6, -1, 300);
  CHECK(kernel_bound(mm, pair) == Bound::compute);
  CHECK(scale_kernel(mm, pair) == Approx(2e-6 + 1000e-6 / 3));
  // Memory bound, 104 us: t' = 2 + 100 * (800/1600) = 52 us.
  const TraceKernel ew = kernel(KernelClass::norm_elementwise, 0, 104e-6);
  CHECK(kernel_bound(ew, pair) == Bound::memory);
  CHECK(scale_kernel(ew, pair) == Approx(52e-6));
  // A tiny kernel is all floor: 3 us -> 1.5 us.
  CHECK(scale_kernel(kernel(KernelClass::norm_elementwise, 0, 3e-6), pair) == Approx(1.5e-6));
  // Shapes override the name: 1 FLOP per byte is below the source's ridge (5e12 / 8e11 = 6.25).
  mm.flops = 1e6;
  mm.bytes = 1e6;
  CHECK(kernel_bound(mm, pair) == Bound::memory);
  // NCCL is not scaled here.
  CHECK(scale_kernel(kernel(KernelClass::nccl, 0, 1e-3), pair) == 1e-3);
  // On its own GPU every kernel keeps its time.
  const GpuPair same{s, gs, s, gs};
  CHECK(scale_kernel(mm, same) == Approx(mm.dur));
  CHECK(scale_kernel(ew, same) == Approx(ew.dur));
}

TEST_CASE("a memory-bound trace kernel scales by its own memory path") {
  // Source: 100 SMs at 1 GHz streaming 800 GB/s; target: 200 SMs at 1 GHz streaming 1600 GB/s.
  // cuDNN's Little's-law limit at 8 bytes per SM per clock: 800 and 1600 GB/s for 4-byte elements,
  // 400 and 800 for 2-byte ones: with the source's stream at 1000, the paths part.
  GpuSpec s = gpu("s", 100, 10, 1250), t = gpu("t", 200, 40, 2000);
  s.physics.boost_clock_mhz = t.physics.boost_clock_mhz = 1000;
  ComputeGeneration gs = gen(2), gt = gen(2);  // the same 2 us floor on both
  gs.physics.cudnn_bytes_per_sm_clock = gt.physics.cudnn_bytes_per_sm_clock = 8.0;
  TraceKernel k = kernel(KernelClass::norm_elementwise, 0, 100e-6);
  k.name = "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>>";
  CHECK(memory_bandwidth(k, s, gs) == Approx(1000e9));  // streaming: 0.8 x 1250
  CHECK(memory_bandwidth(k, t, gt) == Approx(1600e9));
  k.name = "void cudnn::bn_fw_tr_1C11_kernel_NCHW<__half, float, int, 512, true, 1>";
  CHECK(memory_bandwidth(k, s, gs) == Approx(400e9));   // 8 x 2/4 x 100 x 1 GHz
  CHECK(memory_bandwidth(k, t, gt) == Approx(800e9));
  k.name = "void cudnn::bn_bw_1C11_kernel_new<float, float, float2, 128, true, 1>";
  CHECK(memory_bandwidth(k, s, gs) == Approx(800e9));
  k.name = "void cudnn::ops::nchwToNhwcKernel<__half, __half, float, false, true>";
  CHECK(memory_bandwidth(k, s, gs) == Approx(800e9));   // transposes: 4-byte elements whatever the type
  const GpuPair pair{s, gs, t, gt};
  CHECK(scale_kernel(k, pair) == Approx(2e-6 + 98e-6 * 800 / 1600));   // 800 -> 1600 GB/s
  k.name = "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>>";
  CHECK(scale_kernel(k, pair) == Approx(2e-6 + 98e-6 * 1000 / 1600));  // 1000 -> 1600 GB/s
}

TEST_CASE("a step's idle time is loader wait or host-bound") {
  KernelTrace t;
  t.steps = {{0, 100e-6}};
  t.loader = {{0, 8e-6}};
  t.kernels = {kernel(KernelClass::matmul, 10e-6, 20e-6, 5e-6), kernel(KernelClass::memcpy, 50e-6, 10e-6, 45e-6)};
  const TraceSummary s = summarise(t, measured_timeline(t));
  REQUIRE(s.steps.size() == 1);
  const StepStats& st = s.steps[0];
  CHECK(st.busy == Approx(30e-6));
  // Idle [0, 10]: 8 us of DataLoader, 2 us host; [30, 50]: launched at 45, host; [60, 100]: host.
  CHECK(st.loader_wait == Approx(8e-6));
  CHECK(st.host_bound == Approx(2e-6 + 20e-6 + 40e-6));
  CHECK(st.by_class[static_cast<std::size_t>(KernelClass::matmul)] == Approx(20e-6));
}

TEST_CASE("the small trace of tests/data: links, phases, NCCL sizes, and the profile workload") {
  const KernelTrace t = io::read_kineto_trace(std::string(TRAINSIM_SOURCE_DIR) + "/tests/data/trace-small.json");
  CHECK(t.device == "NVIDIA GeForce RTX 2080 Ti");
  CHECK(t.world_size == 2);
  CHECK(t.shapes);
  CHECK(t.step_marker == "ProfilerStep#");
  REQUIRE(t.kernels.size() == 5);
  CHECK(t.kernels[0].cls == KernelClass::memcpy);
  CHECK(t.kernels[1].op == "aten::addmm");
  CHECK(t.kernels[1].flops == 16777216.0);
  CHECK(t.kernels[1].launch == Approx(115e-6));
  CHECK_FALSE(t.kernels[1].backward);
  CHECK(t.kernels[2].backward);
  CHECK(t.kernels[3].coll_bytes == 131584.0 * 4);
  CHECK(t.kernels[4].optimizer);
  const Catalog& c = io::default_catalog();
  const GpuSpec& src = match_trace_gpu(t, c, "");
  CHECK(src.name == "rtx2080ti");
  const GpuSpec& h100 = c.gpu("h100-sxm5-80gb");
  const GpuPair pair{src, c.generation_of(src), h100, c.generation_of(h100)};
  const ComputeProfile p = profile_from_trace(t, pair, 64, 1000);
  // The all-reduce's bytes land on the backward kernel before it; the copy and NCCL are left out.
  CHECK(p.gradient_bytes == 131584.0 * 4);
  REQUIRE(p.layers.size() == 2);
  CHECK(p.layers[1].grad_bytes == 131584.0 * 4);
  CHECK(p.optimizer_s > 0);
  CHECK(p.forward_s() < 200e-6);  // the sgemm, faster on the H100
}
