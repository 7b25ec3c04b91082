// What a profiler trace says per iteration: step time, GPU busy and idle time, the idle time spent
// waiting for the DataLoader or for the host to launch work, kernel time by class, top kernels.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "sim/workload/kernel_trace.hpp"

namespace trainsim {

using ClassTimes = std::array<Seconds, kKernelClasses>;  // indexed by KernelClass

struct StepStats {
  Seconds step = 0;         // host span of the iteration
  Seconds busy = 0;         // union of GPU activity within the span
  Seconds loader_wait = 0;  // GPU idle while the host waits for the DataLoader
  Seconds host_bound = 0;   // GPU idle while the host had not launched the next kernel yet
  ClassTimes by_class{};    // kernel time (sum of durations, streams may overlap)
  [[nodiscard]] Seconds idle() const { return step > busy ? step - busy : 0.0; }
};

struct KernelTotal {
  std::string name;
  KernelClass cls = KernelClass::other;
  long long count = 0;
  Seconds total = 0;  // over the summarised steps
};

struct Stretch {
  Seconds start = 0, length = 0;  // GPU idle, from the trace's start
  bool loader = false;            // the host was waiting for the DataLoader
};

struct TraceSummary {
  std::vector<StepStats> steps;
  std::vector<KernelTotal> top;       // by total time, largest first
  std::vector<Stretch> host_bound;    // the longest idle stretches, largest first
};

// Mean, median and largest of a list (0 when empty).
struct Spread {
  Seconds mean = 0, p50 = 0, max = 0;
};
[[nodiscard]] Spread spread(std::vector<Seconds> v);

// A timeline of the trace's activity: the measured one, or a prediction (trace_predict.hpp).
struct Timeline {
  std::vector<HostSpan> steps, loader;
  std::vector<Seconds> starts, durations, launches;  // per kernel, as KernelTrace::kernels
};
[[nodiscard]] Timeline measured_timeline(const KernelTrace& t);

// Summarises every step. Throws std::invalid_argument when the trace has no step.
[[nodiscard]] TraceSummary summarise(const KernelTrace& t, const Timeline& timeline, int top_n = 10, int stretches = 5);

// Means of the per-step figures.
[[nodiscard]] StepStats mean_step(const TraceSummary& s);

}  // namespace trainsim
