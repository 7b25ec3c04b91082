// A PyTorch profiler (Kineto) trace as plain data: the GPU activity of one rank (kernels, copies,
// memsets) with the operator that launched each one, the host spans that mark iterations, the
// DataLoader waits and the blocking synchronisations. io reads it (sim/import/kineto_reader.cpp);
// trace_summary and trace_predict work on it without knowing the file format.
#pragma once

#include <string>
#include <vector>

#include "sim/hw/precision.hpp"
#include "sim/hw/units.hpp"
#include "sim/util/error.hpp"

namespace trainsim {

// The classes `trainsim profile` reports time by (docs/profiles.md).
enum class KernelClass { matmul, norm_elementwise, optimizer, nccl, memcpy, other };
inline constexpr int kKernelClasses = 6;

enum class CopyKind { none, h2d, d2h, d2d, memset };

struct TraceKernel {
  std::string name;
  std::string op;          // the operator that launched it (by External id), "" when unknown
  Seconds start = 0;       // from the trace's first event
  Seconds dur = 0;
  Seconds launch = -1;     // host time of its launch call (by correlation); < 0 when unknown
  int stream = 0;
  long long blocks = 0;    // grid x*y*z; 0 when not recorded
  KernelClass cls = KernelClass::other;
  CopyKind copy = CopyKind::none;
  bool backward = false;   // launched by an autograd backward function
  bool optimizer = false;  // launched inside Optimizer.step
  DataType dtype = DataType::fp32;  // the arithmetic of a matmul kernel, from its name
  Flops flops = 0;         // from the operator's Input Dims; 0 when unknown
  Bytes bytes = 0;         // moved by the operator (Input Dims), or by a copy; 0 when unknown
  std::string collective;  // NCCL: allreduce, allgather, reduce_scatter, broadcast, sendrecv, ...
  Bytes coll_bytes = 0;    // NCCL message size from the kernel's args; 0 when not recorded
  int group = 0;           // NCCL group size; 0 when not recorded
};

struct HostSpan {
  Seconds start = 0, end = 0;
};

struct KernelTrace {
  std::string file;
  SourceLocation device_at;   // where deviceProperties is in the file (errors about the GPU point there)
  std::string device;         // deviceProperties name, e.g. "NVIDIA A100-SXM4-80GB"
  int sm_count = 0;
  Bytes memory_bytes = 0;     // totalGlobalMem
  int rank = 0, world_size = 1;
  bool shapes = false;        // record_shapes was on (Input Dims)
  std::string step_marker;    // "ProfilerStep#", "Optimizer.step#" or "enumerate(DataLoader)"
  std::vector<TraceKernel> kernels;  // sorted by start
  std::vector<HostSpan> steps;       // one per iteration, in order
  std::vector<HostSpan> loader;      // the host waiting for the next batch
  std::vector<HostSpan> syncs;       // blocking host calls (cudaDeviceSynchronize, ...), by start
  Bytes parameter_bytes = 0;  // fp32 weights and biases of the first iteration's layers (Input Dims); 0 unknown
};

[[nodiscard]] const char* to_string(KernelClass c);

// The class of a kernel from its name and its operator's name (both may be empty).
[[nodiscard]] KernelClass classify_kernel(const std::string& kernel, const std::string& op, bool in_optimizer);
// The arithmetic a matmul/convolution kernel runs, from its name (cuBLAS/cuDNN/CUTLASS naming).
[[nodiscard]] DataType kernel_data_type(const std::string& kernel);
// FLOPs and bytes of one operator call from its Input Dims and types (aten::mm, addmm, bmm,
// linear, matmul); {0, 0} when the operator or its shapes are not understood.
struct OpWork {
  Flops flops = 0;
  Bytes bytes = 0;
};
[[nodiscard]] OpWork operator_work(const std::string& op, const std::vector<std::vector<long long>>& dims,
                                   const std::vector<std::string>& types);

}  // namespace trainsim
