#include "sim/workload/trace_summary.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace trainsim {

namespace {

Seconds overlap(Seconds a0, Seconds a1, const std::vector<HostSpan>& spans) {
  Seconds total = 0;
  for (const auto& s : spans) total += std::max(0.0, std::min(a1, s.end) - std::max(a0, s.start));
  return total;
}

}  // namespace

Spread spread(std::vector<Seconds> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (Seconds x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  const std::size_t n = v.size();
  s.p50 = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  s.max = v.back();
  return s;
}

Timeline measured_timeline(const KernelTrace& t) {
  Timeline tl;
  tl.steps = t.steps;
  tl.loader = t.loader;
  for (const auto& k : t.kernels) {
    tl.starts.push_back(k.start);
    tl.durations.push_back(k.dur);
    tl.launches.push_back(k.launch);
  }
  return tl;
}

TraceSummary summarise(const KernelTrace& t, const Timeline& tl, int top_n, int stretches) {
  if (tl.steps.empty()) throw std::invalid_argument("the trace has no iteration");
  TraceSummary out;
  std::map<std::string, KernelTotal> totals;
  // Kernels by start, as the timeline has them (a prediction may reorder streams).
  std::vector<std::size_t> order(t.kernels.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tl.starts[a] < tl.starts[b]; });
  std::size_t next = 0;
  for (const auto& span : tl.steps) {
    StepStats st;
    st.step = span.end - span.start;
    while (next < order.size() && tl.starts[order[next]] < span.start) ++next;
    Seconds cursor = span.start;  // end of GPU activity so far
    const auto idle_until = [&](Seconds until, Seconds launch) {
      if (until <= cursor) return;
      const Seconds loader = overlap(cursor, until, tl.loader);
      const Seconds rest = (until - cursor) - loader;
      st.loader_wait += loader;
      // The host launched the next kernel only after the GPU ran dry: the host is the bottleneck.
      const bool host = launch >= cursor - 1e-9;
      if (host) st.host_bound += rest;
      if (loader > 0 || host) out.host_bound.push_back({cursor, until - cursor, loader > 0.5 * (until - cursor)});
    };
    for (; next < order.size() && tl.starts[order[next]] < span.end; ++next) {
      const std::size_t i = order[next];
      const TraceKernel& k = t.kernels[i];
      const Seconds s = tl.starts[i], e = std::min(span.end, s + tl.durations[i]);
      idle_until(s, tl.launches[i]);
      if (e > cursor) {
        st.busy += e - std::max(cursor, s);
        cursor = e;
      }
      st.by_class[static_cast<std::size_t>(k.cls)] += tl.durations[i];
      auto& tot = totals[k.name];
      tot.name = k.name;
      tot.cls = k.cls;
      ++tot.count;
      tot.total += tl.durations[i];
    }
    idle_until(span.end, span.end);  // the host had not launched the next step's work yet
    out.steps.push_back(st);
  }
  for (auto& [name, tot] : totals) out.top.push_back(std::move(tot));
  std::sort(out.top.begin(), out.top.end(), [](const auto& a, const auto& b) {
    return a.total != b.total ? a.total > b.total : a.name < b.name;
  });
  if (out.top.size() > static_cast<std::size_t>(top_n)) out.top.resize(static_cast<std::size_t>(top_n));
  std::sort(out.host_bound.begin(), out.host_bound.end(), [](const auto& a, const auto& b) {
    return a.length != b.length ? a.length > b.length : a.start < b.start;
  });
  if (out.host_bound.size() > static_cast<std::size_t>(stretches)) out.host_bound.resize(static_cast<std::size_t>(stretches));
  return out;
}

StepStats mean_step(const TraceSummary& s) {
  StepStats m;
  if (s.steps.empty()) return m;
  for (const auto& st : s.steps) {
    m.step += st.step;
    m.busy += st.busy;
    m.loader_wait += st.loader_wait;
    m.host_bound += st.host_bound;
    for (std::size_t c = 0; c < m.by_class.size(); ++c) m.by_class[c] += st.by_class[c];
  }
  const double n = static_cast<double>(s.steps.size());
  m.step /= n;
  m.busy /= n;
  m.loader_wait /= n;
  m.host_bound /= n;
  for (auto& c : m.by_class) c /= n;
  return m;
}

}  // namespace trainsim
