#include "sim/import/kineto_reader.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>

#include "sim/import/compressed.hpp"
#include "sim/util/error.hpp"

namespace trainsim::io {

namespace {

using Value = rapidjson::Value;

const Value* member(const Value& v, const char* key) {
  if (!v.IsObject()) return nullptr;
  const auto it = v.FindMember(key);
  return it == v.MemberEnd() ? nullptr : &it->value;
}
// Numbers beyond 1e17 (three millennia in microseconds) are not times or sizes a profiler writes;
// taking them would let inf and NaN into the timeline.
double number(const Value& v, const char* key, double fallback) {
  const Value* m = member(v, key);
  return m != nullptr && m->IsNumber() && std::abs(m->GetDouble()) < 1e17 ? m->GetDouble() : fallback;
}
long long integer(const Value& v, const char* key, long long fallback) {
  const Value* m = member(v, key);
  if (m == nullptr) return fallback;
  if (m->IsInt64()) return m->GetInt64();
  // A float where an integer belongs: taken when it fits, else the fallback.
  if (m->IsNumber() && std::abs(m->GetDouble()) < 9e18) return static_cast<long long>(m->GetDouble());
  return fallback;
}
std::string text(const Value& v, const char* key) {
  const Value* m = member(v, key);
  return m != nullptr && m->IsString() ? std::string(m->GetString(), m->GetStringLength()) : std::string();
}
// A string member without a copy ("" when absent or not a string).
std::string_view view(const Value& v, const char* key) {
  const Value* m = member(v, key);
  return m != nullptr && m->IsString() ? std::string_view(m->GetString(), m->GetStringLength()) : std::string_view();
}
bool starts(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Line and column of a byte offset, for parse errors.
SourceLocation locate(const std::string& bytes, std::size_t offset, const std::string& name) {
  SourceLocation at{name, 1, 1};
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

double dtype_bytes(const std::string& t) {
  if (t == "Half" || t == "BFloat16" || t == "Short") return 2;
  if (t == "Double" || t == "Long" || t == "Int64") return 8;
  if (t == "Byte" || t == "Char" || t == "Bool" || t == "Int8" || t == "UInt8") return 1;
  return 4;
}

std::string collective_from_kernel(const std::string& name) {
  // ncclKernel_AllReduce_RING_LL_Sum_float, ncclDevKernel_AllGather_RING_LL, ...
  for (const char* c : {"AllReduce", "AllGather", "ReduceScatter", "Broadcast", "SendRecv", "Reduce", "AllToAll"}) {
    if (name.find(c) != std::string::npos) {
      std::string out;
      for (const char* p = c; *p != '\0'; ++p) out += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
      return out;
    }
  }
  return "unknown";
}

struct Op {
  std::string name;
  double ts = 0;
  std::vector<std::vector<long long>> dims;
  std::vector<std::string> types;
};

struct Collected {
  std::vector<std::pair<const Value*, bool>> gpu;  // event, legacy schema
  std::unordered_map<long long, double> launch_ts;  // correlation -> host ts (us)
  std::unordered_map<long long, Op> ops;             // External id -> operator
  std::vector<std::pair<double, double>> profiler_steps, optimizer, loader, syncs, backward_ops;
  bool shapes = false;
};

void collect(const Value& events, Collected& c) {
  for (const auto& e : events.GetArray()) {
    if (!e.IsObject() || view(e, "ph") != "X") continue;
    const std::string_view cat = view(e, "cat"), name = view(e, "name");
    const double ts = number(e, "ts", 0), dur = number(e, "dur", 0);
    const Value* args = member(e, "args");
    static const Value kEmpty(rapidjson::kObjectType);
    const Value& a = args != nullptr ? *args : kEmpty;
    if (cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset" || cat == "Kernel" || cat == "Memcpy" ||
        cat == "Memset") {
      c.gpu.emplace_back(&e, cat == "Kernel" || cat == "Memcpy" || cat == "Memset");
    } else if (cat == "cuda_runtime" || cat == "Runtime" || cat == "cuda_driver") {
      const long long corr = integer(a, "correlation", -1);
      if (corr >= 0) c.launch_ts[corr] = ts;
      if (name == "cudaDeviceSynchronize" || name == "cudaStreamSynchronize" || name == "cudaEventSynchronize" ||
          name == "cudaMemcpy") {
        c.syncs.emplace_back(ts, ts + dur);
      }
    } else if (cat == "cpu_op" || cat == "Operator" || cat == "user_annotation") {
      if (starts(name, "ProfilerStep#")) c.profiler_steps.emplace_back(ts, ts + dur);
      else if (starts(name, "Optimizer.step")) c.optimizer.emplace_back(ts, ts + dur);
      else if (starts(name, "enumerate(DataLoader)")) c.loader.emplace_back(ts, ts + dur);
      if (name.find("Backward") != std::string_view::npos || starts(name, "autograd::engine::evaluate_function")) {
        c.backward_ops.emplace_back(ts, ts + dur);
      }
      long long ext = integer(a, "External id", integer(a, "external id", -1));
      if (ext < 0 || cat == "user_annotation") continue;
      Op op;
      op.name = std::string(name);
      op.ts = ts;
      if (const Value* d = member(a, "Input Dims"); d != nullptr && d->IsArray()) {
        c.shapes = true;
        for (const auto& t : d->GetArray()) {
          std::vector<long long> dims;
          if (t.IsArray()) {
            for (const auto& x : t.GetArray()) {
              if (x.IsInt64()) dims.push_back(x.GetInt64());
            }
          }
          op.dims.push_back(std::move(dims));
        }
      }
      if (const Value* ty = member(a, "Input type"); ty != nullptr && ty->IsArray()) {
        for (const auto& t : ty->GetArray()) op.types.emplace_back(t.IsString() ? t.GetString() : "");
      }
      c.ops[ext] = std::move(op);
    }
  }
}

bool inside(double t, const std::vector<std::pair<double, double>>& spans) {
  return std::any_of(spans.begin(), spans.end(), [&](const auto& s) { return t >= s.first && t <= s.second; });
}

// Iterations: ProfilerStep#N spans; else from one DataLoader fetch to the next (the last ends
// with its Optimizer.step); else from one Optimizer.step's end to the next; else the whole trace.
std::vector<std::pair<double, double>> step_spans(Collected& c, double gpu_begin, double gpu_end, std::string& marker) {
  auto by_start = [](auto& v) { std::sort(v.begin(), v.end()); };
  by_start(c.profiler_steps);
  by_start(c.optimizer);
  by_start(c.loader);
  std::vector<std::pair<double, double>> out;
  if (!c.profiler_steps.empty()) {
    marker = "ProfilerStep#";
    return c.profiler_steps;
  }
  if (c.loader.size() >= 2 && !c.optimizer.empty()) {
    marker = "enumerate(DataLoader)";
    for (std::size_t i = 0; i + 1 < c.loader.size(); ++i) out.emplace_back(c.loader[i].first, c.loader[i + 1].first);
    const double last = c.loader.back().first;
    const auto opt = std::find_if(c.optimizer.begin(), c.optimizer.end(), [&](const auto& o) { return o.first > last; });
    if (opt != c.optimizer.end()) out.emplace_back(last, opt->second);
    return out;
  }
  if (c.optimizer.size() >= 2) {
    marker = "Optimizer.step#";
    for (std::size_t i = 0; i + 1 < c.optimizer.size(); ++i) out.emplace_back(c.optimizer[i].second, c.optimizer[i + 1].second);
    return out;
  }
  marker = "whole trace";
  out.emplace_back(gpu_begin, gpu_end);
  return out;
}

}  // namespace

KernelTrace parse_kineto_trace(const std::string& bytes, const std::string& name) {
  rapidjson::Document doc;
  // Not in situ: the bytes stay as they were, for the line and column of later errors.
  doc.Parse(bytes.data(), bytes.size());
  // Where a key first appears in the text (1:1 when it does not): errors about it point there.
  const auto at_key = [&](const char* key) {
    const std::size_t pos = bytes.find(std::string("\"") + key + "\"");
    return locate(bytes, pos == std::string::npos ? 0 : pos, name);
  };
  if (doc.HasParseError()) {
    throw InputError(locate(bytes, doc.GetErrorOffset(), name), "json", "",
                     std::string("valid JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  const Value* events = doc.IsArray() ? &doc : member(doc, "traceEvents");
  if (events == nullptr || !events->IsArray()) {
    throw InputError(at_key("traceEvents"), "traceEvents", doc.IsObject() ? "missing" : "not an object",
                     "a Kineto trace: an object with a traceEvents array (torch.profiler's export_chrome_trace)");
  }
  KernelTrace t;
  t.file = name;
  t.device_at = at_key("deviceProperties");
  Collected c;
  collect(*events, c);
  // The GPU the kernels ran on.
  int device = 0;
  if (!c.gpu.empty()) {
    if (const Value* a = member(*c.gpu.front().first, "args"); a != nullptr) device = static_cast<int>(integer(*a, "device", 0));
  }
  if (const Value* props = member(doc, "deviceProperties"); props != nullptr && props->IsArray()) {
    for (const auto& p : props->GetArray()) {
      if (integer(p, "id", -1) != device && !t.device.empty()) continue;
      t.device = text(p, "name");
      t.sm_count = static_cast<int>(integer(p, "numSms", 0));
      t.memory_bytes = number(p, "totalGlobalMem", 0);
      if (integer(p, "id", -1) == device) break;
    }
  }
  for (const std::string vendor : {"AMD", "Radeon", "Instinct", "gfx9"}) {
    if (t.device.find(vendor) != std::string::npos) {
      throw InputError(at_key("deviceProperties"), "deviceProperties.name", t.device,
                       "an NVIDIA GPU: ROCm traces are not read (" + std::to_string(t.sm_count) +
                           " compute units; HIP kernels and their names differ from CUDA's)");
    }
  }
  if (c.gpu.empty()) {
    throw InputError(at_key("traceEvents"), "traceEvents", "no kernel, memcpy or memset event",
                     "GPU activity: profile with activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA] on a GPU");
  }
  if (const Value* d = member(doc, "distributedInfo"); d != nullptr) {
    t.rank = static_cast<int>(integer(*d, "rank", 0));
    t.world_size = static_cast<int>(integer(*d, "world_size", 1));
  }
  t.shapes = c.shapes;
  double origin = 1e300, gpu_end = -1e300;
  for (const auto& [e, legacy] : c.gpu) {
    origin = std::min(origin, number(*e, "ts", 0));
    gpu_end = std::max(gpu_end, number(*e, "ts", 0) + number(*e, "dur", 0));
  }
  const auto steps = step_spans(c, origin, gpu_end, t.step_marker);
  for (const auto& s : steps) origin = std::min(origin, s.first);
  const auto sec = [&](double us) { return (us - origin) * 1e-6; };
  const auto spans = [&](const std::vector<std::pair<double, double>>& v) {
    std::vector<HostSpan> out;
    for (const auto& [a, b] : v) out.push_back({sec(a), sec(b)});
    return out;
  };
  t.steps = spans(steps);
  t.loader = spans(c.loader);
  std::sort(c.syncs.begin(), c.syncs.end());
  t.syncs = spans(c.syncs);
  std::sort(c.backward_ops.begin(), c.backward_ops.end());
  // Parameters: the weight and bias inputs of the layers the first iteration runs forward.
  const auto elements = [](const std::vector<long long>& d) {
    double n = d.empty() ? 0.0 : 1.0;
    for (long long x : d) n *= static_cast<double>(x);
    return n;
  };
  for (const auto& [ext, op] : c.ops) {
    if (op.ts < steps.front().first || op.ts > steps.front().second) continue;
    std::size_t first = 0;
    if (op.name == "aten::convolution" || op.name == "aten::linear" || op.name == "aten::batch_norm") first = 1;
    else if (op.name == "aten::layer_norm") first = 2;
    else continue;
    for (std::size_t i = first; i < first + 2 && i < op.dims.size(); ++i) t.parameter_bytes += 4 * elements(op.dims[i]);
  }
  for (const auto& [e, legacy] : c.gpu) {
    const Value& ev = *e;
    static const Value kEmpty(rapidjson::kObjectType);
    const Value* ap = member(ev, "args");
    const Value& a = ap != nullptr ? *ap : kEmpty;
    if (integer(a, "device", device) != device) continue;  // another GPU of a single-process trace
    TraceKernel k;
    k.name = text(ev, "name");
    const std::string cat = text(ev, "cat");
    k.start = sec(number(ev, "ts", 0));
    k.dur = std::max(0.0, number(ev, "dur", 0)) * 1e-6;
    k.stream = static_cast<int>(integer(a, "stream", integer(ev, "tid", 0)));
    const long long corr = integer(a, "correlation", -1);
    double launch_us = -1;
    if (const auto it = c.launch_ts.find(corr); corr >= 0 && it != c.launch_ts.end()) {
      launch_us = it->second;
      k.launch = sec(launch_us);
    }
    const long long ext = integer(a, "External id", integer(a, "external id", -1));
    const Op* op = nullptr;
    if (const auto it = c.ops.find(ext); ext > 0 && it != c.ops.end()) op = &it->second;
    if (op != nullptr) k.op = op->name;
    if (const Value* g = member(a, "grid"); g != nullptr && g->IsArray()) {
      // CUDA grids are at most 2^31 x 65535 x 65535 blocks; clamped so that bad input cannot overflow.
      double blocks = 1;
      for (const auto& x : g->GetArray()) blocks *= x.IsInt64() ? std::clamp<double>(static_cast<double>(x.GetInt64()), 1, 2147483647) : 1;
      k.blocks = static_cast<long long>(std::min(blocks, 1e18));
    }
    const double host = launch_us >= 0 ? launch_us : number(ev, "ts", 0);
    k.optimizer = inside(host, c.optimizer);
    if (cat == "gpu_memcpy" || cat == "Memcpy") {
      k.copy = k.name.find("HtoD") != std::string::npos ? CopyKind::h2d
               : k.name.find("DtoH") != std::string::npos ? CopyKind::d2h : CopyKind::d2d;
      k.bytes = number(a, "bytes", 0);
    } else if (cat == "gpu_memset" || cat == "Memset") {
      k.copy = CopyKind::memset;
      k.bytes = number(a, "bytes", 0);
    }
    k.cls = k.copy != CopyKind::none ? KernelClass::memcpy : classify_kernel(k.name, k.op, k.optimizer);
    if (k.cls == KernelClass::matmul) k.dtype = kernel_data_type(k.name);
    if (k.cls == KernelClass::nccl) {
      k.collective = text(a, "Collective name");
      if (k.collective.empty()) k.collective = collective_from_kernel(k.name);
      k.coll_bytes = number(a, "In msg nelems", 0) * dtype_bytes(text(a, "dtype"));
      k.group = static_cast<int>(integer(a, "Group size", 0));
    } else if (op != nullptr && k.copy == CopyKind::none) {
      const OpWork w = operator_work(op->name, op->dims, op->types);
      k.flops = w.flops;
      k.bytes = w.bytes;
    }
    // Backward: launched after the first backward operator of its iteration began.
    for (const auto& s : steps) {
      if (host < s.first || host > s.second) continue;
      const auto b = std::lower_bound(c.backward_ops.begin(), c.backward_ops.end(), std::make_pair(s.first, -1e300));
      k.backward = !k.optimizer && b != c.backward_ops.end() && b->first <= host && b->first <= s.second;
      break;
    }
    t.kernels.push_back(std::move(k));
  }
  std::stable_sort(t.kernels.begin(), t.kernels.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
  return t;
}

KernelTrace read_kineto_trace(const std::string& path, const TraceReadOptions& options) {
  std::string bytes = read_maybe_gzip(path);
  if (!is_tar(bytes)) {
    KernelTrace t = parse_kineto_trace(std::move(bytes), path);
    if (options.rank && *options.rank != t.rank) {
      throw InputError({path}, "--rank", std::to_string(*options.rank),
                       "the rank the trace holds (" + std::to_string(t.rank) + ")");
    }
    return t;
  }
  std::vector<TarMember> members = tar_members(bytes, path);
  std::optional<KernelTrace> best;
  std::vector<int> ranks;
  for (auto& m : members) {
    if (m.name.find(".json") == std::string::npos) continue;
    KernelTrace t = parse_kineto_trace(std::move(m.data), path + ":" + m.name);
    ranks.push_back(t.rank);
    if (options.rank ? t.rank == *options.rank : (!best || t.rank < best->rank)) best = std::move(t);
  }
  if (!best) {
    std::string held;
    std::sort(ranks.begin(), ranks.end());
    for (int r : ranks) held += (held.empty() ? "" : ", ") + std::to_string(r);
    throw InputError({path}, "--rank", options.rank ? std::to_string(*options.rank) : "",
                     ranks.empty() ? "an archive holding .json traces" : "one of the ranks the archive holds: " + held);
  }
  return *best;
}

}  // namespace trainsim::io
