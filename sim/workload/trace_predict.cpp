#include "sim/workload/trace_predict.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>

#include "sim/util/error.hpp"
#include "sim/workload/compute_profile.hpp"
#include "sim/workload/gpu_rates.hpp"

namespace trainsim {

namespace {

// Two kernels on different streams whose end and start are this close are taken as dependent
// (an event wait), so that the later one moves with the earlier one.
constexpr Seconds kDependencyWindow = 5e-6;

std::string squash(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace

BytesPerSecond memory_bandwidth(const TraceKernel& k, const GpuSpec& gpu, const ComputeGeneration& gen) {
  const std::string n = squash(k.name);
  const auto has = [&](const char* s) { return n.find(s) != std::string::npos; };
  if (has("bnfwtr1c11") || has("bnbw1c11")) {  // cuDNN's per-channel NCHW batch norm: an element per thread
    return gbps(cudnn_bandwidth_gbps(gpu, gen.physics, has("half") || has("bfloat16") ? 2.0 : 4.0));
  }
  if (k.cls == KernelClass::matmul || has("nchwtonhwc") || has("nhwctonchw")) {  // cuDNN's vectors and tiles
    return gbps(cudnn_bandwidth_gbps(gpu, gen.physics, 4.0));
  }
  return achievable_bandwidth(gpu);  // PyTorch's vectorised kernels: the streaming bandwidth
}

Bound kernel_bound(const TraceKernel& k, const GpuPair& g) {
  if (k.cls == KernelClass::nccl) return Bound::unscaled;
  if (k.copy == CopyKind::h2d || k.copy == CopyKind::d2h) return Bound::host_copy;
  if (k.copy != CopyKind::none) return Bound::memory;
  const bool matmul = k.cls == KernelClass::matmul;
  if (k.flops > 0 && k.bytes > 0) {
    const double ridge = sustained_matmul_flops(g.source, g.source_gen, k.dtype) /
                         achievable_bandwidth(g.source);
    return k.flops / k.bytes >= ridge ? Bound::compute : Bound::memory;
  }
  return matmul ? Bound::compute : Bound::memory;
}

Seconds scale_kernel(const TraceKernel& k, const GpuPair& g) {
  const Bound b = kernel_bound(k, g);
  if (b == Bound::unscaled) return k.dur;
  if (b == Bound::host_copy) return k.dur * host_copy_bandwidth(g.source) / host_copy_bandwidth(g.target);
  const Seconds f = std::min(k.dur, kernel_floor(g.source_gen));
  const Seconds f2 = f * kernel_floor(g.target_gen) / kernel_floor(g.source_gen);
  if (b == Bound::memory) {
    return f2 + (k.dur - f) * memory_bandwidth(k, g.source, g.source_gen) / memory_bandwidth(k, g.target, g.target_gen);
  }
  const double s = g.source.sm_count, s2 = g.target.sm_count;
  const double rate = sustained_matmul_flops(g.source, g.source_gen, k.dtype);
  const double rate2 = sustained_matmul_flops(g.target, g.target_gen, k.dtype);
  double waves = s2 > 0 && s > 0 ? s / s2 : 1.0;  // many blocks: the ratio of SM counts
  if (k.blocks > 0 && s > 0 && s2 > 0) {
    const double b0 = static_cast<double>(k.blocks);
    waves = std::ceil(b0 / s2) / std::ceil(b0 / s);
  }
  return f2 + (k.dur - f) * waves * (rate / s) / (rate2 / s2);
}

TracePrediction predict_trace(const KernelTrace& t, const GpuPair& g, const NcclTime& nccl) {
  const std::size_t n = t.kernels.size();
  TracePrediction out;
  Timeline& tl = out.timeline;
  tl.starts.resize(n);
  tl.durations.resize(n);
  tl.launches.resize(n);
  out.bounds.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const TraceKernel& k = t.kernels[i];
    out.bounds[i] = kernel_bound(k, g);
    tl.durations[i] = scale_kernel(k, g);
    if (k.cls == KernelClass::nccl && nccl) tl.durations[i] = nccl(k).value_or(k.dur);
  }
  // Blocking points of the host: its synchronisations, or, in a trace without any, each step's end.
  std::vector<HostSpan> syncs = t.syncs;
  if (syncs.empty()) {
    for (const auto& s : t.steps) syncs.push_back({s.end, s.end});
  }
  // Kernels by launch: the GPU work a synchronisation waits for is a prefix of this order.
  std::vector<std::size_t> by_launch(n);
  std::iota(by_launch.begin(), by_launch.end(), 0);
  const auto host_time = [&](std::size_t i) { return t.kernels[i].launch >= 0 ? t.kernels[i].launch : t.kernels[i].start; };
  std::stable_sort(by_launch.begin(), by_launch.end(), [&](auto a, auto b) { return host_time(a) < host_time(b); });
  std::vector<Seconds> pred_end(n, 0.0);
  std::vector<bool> done(n, false);
  std::vector<std::pair<Seconds, Seconds>> shifts{{-1e300, 0.0}};  // (host time, shift from then on)
  Seconds shift = 0;
  std::size_t prefix = 0, next_sync = 0;
  Seconds meas_done = -1e300, pred_done = -1e300;
  const auto settle_syncs = [&](Seconds before) {
    for (; next_sync < syncs.size() && syncs[next_sync].end <= before; ++next_sync) {
      const HostSpan& s = syncs[next_sync];
      for (; prefix < n && host_time(by_launch[prefix]) < s.start; ++prefix) {
        const std::size_t i = by_launch[prefix];
        meas_done = std::max(meas_done, t.kernels[i].start + t.kernels[i].dur);
        // Not replayed yet (it starts after the current kernel, on a busy stream): as measured.
        pred_done = std::max(pred_done, done[i] ? pred_end[i] : t.kernels[i].start + t.kernels[i].dur + shift);
      }
      // The host leaves the call when the GPU is done, plus the call's own time after that.
      const Seconds lead = s.end - std::max(s.start, meas_done);
      const Seconds end = std::max(s.start + shift, pred_done) + lead;
      shift = end - s.end;
      shifts.emplace_back(s.end, shift);
    }
  };
  std::map<int, std::size_t> last_on_stream;
  for (std::size_t i = 0; i < n; ++i) {
    const TraceKernel& k = t.kernels[i];
    settle_syncs(host_time(i));
    Seconds ready_meas = host_time(i), ready_pred = host_time(i) + shift;
    for (const auto& [stream, j] : last_on_stream) {
      const TraceKernel& p = t.kernels[j];
      const Seconds end = p.start + p.dur;
      const bool same = stream == k.stream;
      if (same || (end <= k.start && end >= k.start - kDependencyWindow)) {
        ready_meas = std::max(ready_meas, end);
        ready_pred = std::max(ready_pred, pred_end[j]);
      }
    }
    const Seconds residual = std::max(0.0, k.start - ready_meas);  // a wait the trace does not explain
    tl.starts[i] = ready_pred + residual;
    tl.launches[i] = k.launch >= 0 ? k.launch + shift : -1;
    pred_end[i] = tl.starts[i] + tl.durations[i];
    done[i] = true;
    last_on_stream[k.stream] = i;
  }
  settle_syncs(1e300);
  const auto shift_at = [&](Seconds x) {
    auto it = std::upper_bound(shifts.begin(), shifts.end(), std::make_pair(x, 1e300));
    return std::prev(it)->second;
  };
  for (const auto& s : t.steps) tl.steps.push_back({s.start + shift_at(s.start - 1e-12), s.end + shift_at(s.end)});
  for (const auto& s : t.loader) tl.loader.push_back({s.start + shift_at(s.start), s.end + shift_at(s.end)});
  return out;
}

const GpuSpec& match_trace_gpu(const KernelTrace& t, const Catalog& catalog, const std::string& source_gpu) {
  if (!source_gpu.empty()) return catalog.gpu(source_gpu, {"command line"}, "--source-gpu");
  const std::string found = "'" + t.device + "' with " + std::to_string(t.sm_count) + " SMs and " +
                            std::to_string(static_cast<long long>(std::llround(t.memory_bytes / kGiB))) + " GiB";
  if (t.device.empty()) {
    throw InputError(t.device_at, "deviceProperties", "none listed",
                     "the GPU that recorded the trace: name it with --source-gpu NAME (trainsim gpus lists them)");
  }
  const std::string dev = squash(t.device);
  const auto memory_fits = [&](const GpuSpec& g) {
    return t.memory_bytes <= 0 || std::abs(t.memory_bytes / kGiB - g.memory_gb) <= 0.06 * g.memory_gb;
  };
  const auto sms_fit = [&](const GpuSpec& g) { return t.sm_count <= 0 || t.sm_count == g.sm_count; };
  std::vector<const GpuSpec*> by_name, by_shape;
  for (const auto& g : catalog.gpus) {
    if (!sms_fit(g) || !memory_fits(g)) continue;
    by_shape.push_back(&g);
    const std::string disp = squash(g.display_name);
    // "NVIDIA A100-SXM4-80GB" holds "a100sxm480gb"; "Tesla V100-SXM2-32GB" holds "v100sxm232gb".
    if (dev.find(disp) != std::string::npos || dev.find(squash(g.name)) != std::string::npos) by_name.push_back(&g);
  }
  if (by_name.size() == 1) return *by_name.front();
  const auto& pick = by_name.empty() ? by_shape : by_name;
  if (pick.size() == 1) return *pick.front();
  std::string names;
  for (const auto* g : pick) names += (names.empty() ? "" : ", ") + g->name;
  throw InputError(t.device_at, "deviceProperties.name", t.device,
                   pick.empty() ? "a GPU of the catalog: none has " + found + "; add it to platforms/gpus.yaml or say "
                                      "--source-gpu NAME"
                                : "one catalog GPU, but " + found + " fits " + names + ": say which with --source-gpu NAME");
}

}  // namespace trainsim
